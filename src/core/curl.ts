/**
 * An equivalent `curl` command for a request, for sharing and debugging. The token is never in it:
 * `$RUNFLOW_TOKEN` stands in its place, for the user's own shell to fill.
 */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function curlForGetRun(baseUrl: string, runId: string, organizationId?: string): string {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/runs/${encodeURIComponent(runId)}`;
  const parts = ['curl', '-sS', '-H', '"Authorization: Bearer $RUNFLOW_TOKEN"'];
  if (organizationId) parts.push('-H', shellQuote(`X-Organization-Id: ${organizationId}`));
  parts.push(shellQuote(url));
  return parts.join(' ');
}
