/**
 * How many times one upload may be ingested before the ingest gives up on it.
 *
 * S3 invokes the ingest asynchronously: when an invocation fails (it throws,
 * times out or runs out of memory), Lambda runs it again, INGEST_RETRIES
 * times, then hands the event to the on-failure queue (resources/
 * ingest-failures.yml: its MaximumRetryAttempts must equal INGEST_RETRIES,
 * which test/template checks; scripts/local/s3-notifier.cjs retries as often).
 *
 * A crash or a timeout cannot record anything, so each attempt is counted on
 * the file's item before it reads the object. The attempt Lambda will not
 * retry does not parse again what already failed twice: it rejects the file
 * ("could not be processed"), so the uploader sees a verdict instead of a file
 * pending forever, and then fails, so the event still reaches the queue and
 * its alarm.
 *
 * Counting every start would be wrong: S3 and Lambda each deliver an event at
 * least once, so three deliveries of one upload arriving together would make
 * the third "the last attempt" and reject a good file. They arrive within
 * moments of each other, while Lambda waits a minute before its first retry
 * and two before its second. So a start within ATTEMPT_SPACING_MS of the last
 * counted one is the same attempt (it parses alongside; the writes are
 * conditioned on `pending`, so only one verdict lands), and only a later one
 * counts as the next.
 */
export const INGEST_RETRIES = 2;

/** Well under Lambda's one-minute wait; the local notifier waits longer than this between its retries. */
export const ATTEMPT_SPACING_MS = 10_000;

/** Attempts count from 1: the first INGEST_RETRIES read the object; the next one, the last Lambda makes, gives up. */
export const isFinalAttempt = (attempt: number): boolean => attempt > INGEST_RETRIES;
