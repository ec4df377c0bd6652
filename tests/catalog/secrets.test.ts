import { findSecrets } from '../../src/catalog/secrets';

const kinds = (text: string) => findSecrets(text).map((finding) => finding.kind);

describe('secret detection in runbook text', () => {
  it.each([
    ['private_key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'],
    ['private_key', '-----BEGIN RSA PRIVATE KEY-----'],
    ['cloud_access_key', 'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE'],
    ['cloud_access_key', 'export GITHUB_TOKEN_VALUE ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['bearer_token', 'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"'],
    ['secret_assignment', 'export DB_PASSWORD=hunter2-prod'],
    ['secret_assignment', 'psql "host=db user=ops password=Sup3rS3cret"'],
    ['secret_assignment', 'relay --client-secret=9f8e7d6c5b4a'],
    ['secret_assignment', '{"api_key": "k-123456789"}'],
    ['secret_assignment', 'curl "https://api.example/v1/x?token=abc123def456"'],
  ])('finds %s in %j', (kind, text) => {
    expect(kinds(text)).toContain(kind);
  });

  it.each([
    'curl -H "Authorization: Bearer $TOKEN" https://api.example',
    'curl -H "Authorization: Bearer ${OPSDECK_API_TOKEN}"',
    'curl -H "Authorization: Bearer <token from vault>"',
    'export DB_PASSWORD=$(vault kv get -field=password secret/db)',
    'kubectl create secret generic relay --from-literal=password="$RELAY_PASSWORD"',
    'psql "postgres://ops:${DB_PASSWORD}@db:5432/app"',
    'token=<token from vault>',
    'password=****',
    'The relay uses a Bearer token that the proxy injects.',
    'max_tokens=4096 and token_file=/var/run/secrets/token',
    'Rotate the secret: `kubectl -n messaging get secret outbox-relay-bus`',
    'aws sts get-caller-identity # never paste AKIA keys here',
  ])('ignores the placeholder or prose in %j', (text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it('reports line and column and masks the value', () => {
    const [finding] = findSecrets('line one\n  export PGPASSWORD=Xk9-prod-db-2026\n');
    expect(finding).toMatchObject({ kind: 'secret_assignment', line: 2, column: 10 });
    expect(finding.excerpt).toMatch(/^PGPASSWORD=Xk9-\*+$/);
    expect(finding.excerpt).not.toContain('prod-db');
  });
});
