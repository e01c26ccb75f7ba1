/** Where global setup leaves the web app's URL for the workers (they inherit its environment). */
export const WEB_URL_ENV = 'TODO_WEB_URL';

export function webUrl(): string {
  const url = process.env[WEB_URL_ENV];
  if (!url) throw new Error(`${WEB_URL_ENV} is not set: run the suite through its global setup`);
  return url;
}
