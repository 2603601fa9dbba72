/**
 * The path of a request, as `new URL(request.url).pathname` gives it, without building a URL for the
 * plain paths every GraphQL request has: the plugins that serve other paths ask this of each request.
 * A path with escapes, dot segments or backslashes goes through the URL parser, which normalises them.
 */
export function requestPath(request: Request): string {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const query = url.indexOf('?', start);
  const path = query < 0 ? url.slice(start) : url.slice(start, query);
  return /%|\/\.|\\|#/.test(path) ? new URL(url).pathname : path;
}
