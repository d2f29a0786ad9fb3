/**
 * Connections to the queue's Redis. The URL may carry a password: it is never logged or shown; errors
 * name the URL with the password replaced by ***. rediss:// connects over TLS.
 */
import { Redis, type RedisOptions } from 'ioredis'
import { ApiError } from '../../src-shared/errors'
import { QueueUrl, redactQueueUrl } from '../../src-shared/remote'

/** A connection BullMQ can use (it blocks, so commands wait for a reconnect instead of failing). */
export function openRedis(url: string, extra: RedisOptions = {}): Redis {
  const redis = new Redis(checkQueueUrl(url), { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra })
  // ioredis prints unhandled connection errors with their details; callers report them their own way.
  redis.on('error', () => {})
  return redis
}

export function checkQueueUrl(url: string): string {
  if (!QueueUrl.safeParse(url).success) {
    throw new ApiError(
      'VALIDATION',
      `Invalid queue URL ${redactQueueUrl(url)}: use redis://[user:password@]host:port[/db], or rediss:// for TLS`
    )
  }
  return url
}

/** Resolves when Redis answers PING, or throws one clear error naming the (redacted) URL. */
export async function checkReachable(url: string, timeoutMs = 5000): Promise<void> {
  const redis = new Redis(checkQueueUrl(url), {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false
  })
  // The first connection error says why (ECONNREFUSED, ENOTFOUND, WRONGPASS…); connect() only says it closed.
  let first: unknown = null
  redis.on('error', (err) => (first ??= err))
  try {
    await redis.connect()
    await redis.ping()
  } catch (err) {
    throw unreachable(url, first ?? err)
  } finally {
    redis.disconnect()
  }
}

export function unreachable(url: string, err: unknown): ApiError {
  const reason = ((err as Error)?.message ?? String(err)).replaceAll(url, redactQueueUrl(url))
  return new ApiError('NOT_AVAILABLE', `Cannot reach the Redis queue at ${redactQueueUrl(url)}: ${reason}`)
}
