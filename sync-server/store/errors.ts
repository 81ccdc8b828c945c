// Errors a store throws for the caller to map to a clear answer (409, 404...). Messages carry ids
// and kinds only, never patient data or credentials.

/** A clinic, user (same email in the clinic), device or refresh token already exists. */
export class StoreDuplicateError extends Error {
  readonly entity: 'clinic' | 'user' | 'device' | 'refreshToken';
  constructor(
    entity: StoreDuplicateError['entity'],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreDuplicateError';
    this.entity = entity;
  }
}

/** A write named a clinic the store does not know. */
export class UnknownClinicError extends Error {
  readonly clinicId: string;
  constructor(clinicId: string) {
    super(`unknown clinic ${clinicId}`);
    this.name = 'UnknownClinicError';
    this.clinicId = clinicId;
  }
}

/** A device id that exists in another clinic: never moved or overwritten across clinics. */
export class DeviceClinicMismatchError extends Error {
  constructor(deviceId: string) {
    super(`device ${deviceId} belongs to another clinic`);
    this.name = 'DeviceClinicMismatchError';
  }
}
