// Prometheus metrics, one registry per app so several apps can live in one process (tests).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly pushedDocuments: Counter<'collection'>;
  readonly pulledDocuments: Counter<'collection'>;
  readonly conflicts: Counter<'collection'>;
  readonly refusedRows: Counter<'collection'>;
  readonly openStreams: Gauge;
  readonly loginFailures: Counter;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'topsmile_http_requests_total',
      help: 'HTTP requests by route and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'topsmile_http_request_duration_seconds',
      help: 'HTTP request latency by route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    pushedDocuments: new Counter({
      name: 'topsmile_sync_pushed_documents_total',
      help: 'Documents written by pushes.',
      labelNames: ['collection'],
      registers,
    }),
    pulledDocuments: new Counter({
      name: 'topsmile_sync_pulled_documents_total',
      help: 'Documents sent by pulls.',
      labelNames: ['collection'],
      registers,
    }),
    conflicts: new Counter({
      name: 'topsmile_sync_conflicts_total',
      help: 'Pushed rows whose assumed master state was out of date.',
      labelNames: ['collection'],
      registers,
    }),
    refusedRows: new Counter({
      name: 'topsmile_sync_refused_rows_total',
      help: 'Pushed rows refused by validation, tenancy or role rules.',
      labelNames: ['collection'],
      registers,
    }),
    openStreams: new Gauge({
      name: 'topsmile_sync_open_streams',
      help: 'Open server-sent-event streams.',
      registers,
    }),
    loginFailures: new Counter({
      name: 'topsmile_auth_login_failures_total',
      help: 'Failed logins.',
      registers,
    }),
  };
}
