/**
 * The key two logins are compared by. Grafana logins are case-insensitive (`ADM` signs in as `adm`),
 * and the proxy forwards the login as typed, so every comparison of identities — access.yaml bindings
 * and teams, separation of duties, "one decision per approver" — uses this key, never the raw strings
 * (issue 17 item 11: `ADM` approved what `adm` requested; its follow-up: `ANA` lost `ana`'s bindings).
 */
export const identityKey = (login: string) => login.trim().toLowerCase();
export const sameIdentity = (a: string, b: string) => identityKey(a) === identityKey(b);
