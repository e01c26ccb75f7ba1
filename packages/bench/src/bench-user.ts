/** A user the benchmarks sign up through the API, with the access token they send. */
export interface BenchUser {
  access_token: string;
  user: { id: string };
}

/** Registers `email` on the task-api at `apiUrl` (every bench user has the same password). */
export async function registerBenchUser(apiUrl: string, email: string): Promise<BenchUser> {
  const response = await fetch(`${apiUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'bench-password-123' }),
  });
  if (!response.ok)
    throw new Error(`register ${email}: ${response.status} ${await response.text()}`);
  return (await response.json()) as BenchUser;
}
