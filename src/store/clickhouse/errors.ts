/**
 * Classification of @clickhouse/client failures into the cases a user acts
 * on differently: the server could not be reached, it rejected the
 * credentials, or it returned another error.
 */
import { AnthroTraceError, InputError, OperationError } from '../../core/errors.js';

/** Exception codes for rejected credentials: AUTHENTICATION_FAILED, and UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD on older servers. */
const AUTHENTICATION_CODES = new Set(['516', '192', '193', '194']);

/** Returns the server's exception code of a ClickHouseError (which has `code` and `type`), or null for transport errors, which have neither. */
export function serverErrorCode(error: unknown): string | null {
  const candidate = error as { code?: unknown; type?: unknown };
  if (typeof candidate?.code === 'string' && /^\d+$/.test(candidate.code) && typeof candidate.type === 'string') return candidate.code;
  return null;
}

/** Returns the client error behind an AnthroTrace error, which `translateError` keeps as the cause. */
function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof AnthroTraceError && current.cause !== undefined) current = current.cause;
  return current;
}

/** Returns true when no server response arrived: refused or reset connections, unknown hosts, timeouts, TLS failures. */
export function isUnreachable(error: unknown): boolean {
  const root = unwrap(error);
  return !(root instanceof AnthroTraceError) && serverErrorCode(root) === null;
}

export function isAuthenticationError(error: unknown): boolean {
  const code = serverErrorCode(unwrap(error));
  return code !== null && AUTHENTICATION_CODES.has(code);
}

/** Describes the failure in one line without the stack, such as `connect ECONNREFUSED 127.0.0.1:9` or `code 60: Unknown table …`. */
export function describeFailure(error: unknown): string {
  if (error instanceof AnthroTraceError) return error.message;
  const code = serverErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0]!.trim().replace(/\.$/, '');
  if (code !== null) return `code ${code}: ${firstLine}`;
  const errno = (error as { code?: unknown }).code;
  if (typeof errno === 'string' && !firstLine.includes(errno)) return `${errno}: ${firstLine}`;
  return firstLine === '' ? 'no response' : firstLine;
}

/** Converts a failed ClickHouse call into the InputError or OperationError that a command shows. */
export function translateError(error: unknown, location: string, user: string, action: string): Error {
  if (error instanceof AnthroTraceError) return error;
  if (isAuthenticationError(error)) {
    return new InputError(
      `ClickHouse at ${location} rejected user ${JSON.stringify(user)} (${describeFailure(error)}): check the user and password in the store URL or CLICKHOUSE_USER and CLICKHOUSE_PASSWORD`,
      { cause: error },
    );
  }
  if (isUnreachable(error)) {
    // A TLS handshake that gets a plain HTTP reply fails in OpenSSL with "wrong version number" (ERR_SSL_WRONG_VERSION_NUMBER).
    const plainHttp = /wrong version number/i.test(describeFailure(error));
    const advice = plainHttp
      ? 'the server may not speak TLS on this port: use clickhouse:// for plain HTTP, or the server\'s HTTPS port (8443 by default)'
      : 'check the host and port, and that the server is running';
    return new OperationError(`ClickHouse at ${location} is unreachable (${describeFailure(error)}): ${advice}`, { cause: error });
  }
  const cluster = unknownClusterError(error, location);
  if (cluster !== null) return cluster;
  return new OperationError(`ClickHouse at ${location} failed to ${action} (${describeFailure(error)})`, { cause: error });
}

/** Exception code CLUSTER_DOESNT_EXIST: the name in `ON CLUSTER` is not a cluster of the server's remote_servers configuration. */
const UNKNOWN_CLUSTER_CODE = '701';

/** Returns the error to show when ClickHouse does not know the cluster, or null for any other failure. */
export function unknownClusterError(error: unknown, location: string): OperationError | null {
  const root = unwrap(error);
  if (serverErrorCode(root) !== UNKNOWN_CLUSTER_CODE) return null;
  return new OperationError(
    `ClickHouse at ${location} has no cluster of that name (${describeFailure(root)}): the cluster is not defined in the server's remote_servers configuration; ` +
      'check the name given with --cluster or ?cluster= against SELECT DISTINCT cluster FROM system.clusters',
    { cause: error },
  );
}
