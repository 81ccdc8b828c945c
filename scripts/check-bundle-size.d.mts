// Types for the plain-JS budget check, so the renderer benchmark can reuse its measurement.
export interface InitialAsset {
  readonly name: string;
  readonly raw: number;
  readonly gzip: number;
}

export function measureInitialLoad(dir: string): { rows: InitialAsset[]; total: number };
