/**
 * What tells an incident's alerts apart: the labels not common to all of them (a label some alerts
 * lack, or whose value differs). Two "ObjectStoreDiskFull · firing" rows become `instance=gpu-worker-17`
 * and `instance=gpu-worker-18`. Pure and shared by the app's alerts table and the CLI.
 */
export function distinguishingLabelNames(alerts: ReadonlyArray<{ labels: Record<string, string> }>): string[] {
  if (alerts.length < 2) {
    return [];
  }
  const names = new Set(alerts.flatMap((alert) => Object.keys(alert.labels)));
  return [...names]
    .filter((name) => {
      const first = alerts[0].labels[name];
      return alerts.some((alert) => alert.labels[name] !== first);
    })
    .sort();
}

/** `name=value` pairs of one alert for the given label names (absent labels are left out). */
export function labelPairs(labels: Record<string, string>, names: readonly string[]): string[] {
  return names.filter((name) => labels[name] !== undefined).map((name) => `${name}=${labels[name]}`);
}
