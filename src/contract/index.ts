// The contract: one import path for the app, the datasource, the API and the tools.
export * from './common';
export * from './catalog';
export * from './alerts';
export * from './incidents';
export * from './overview';
export * from './correlation';
export * from './approvals';
export * from './audit';
export * from './access';
export * from './capabilities';
export * from './slo';
export * from './text';
export * from './oncall';
export * from './communication';
export * from './recommendations';
export * from './kpis';
export * from './endpoints';
