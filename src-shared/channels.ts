/** Wire names shared by the two transports. No imports: the sandboxed preload bundles this file. */
export const IPC_INVOKE_CHANNEL = 'rnn-lab:invoke'
export const IPC_EVENT_CHANNEL = 'rnn-lab:event'
/** Preload only: the path of a file the person dropped or picked, registered as a read grant. */
export const IPC_GRANT_CHANNEL = 'rnn-lab:grant-file'
export const HTTP_API_PREFIX = '/api/'
export const WS_EVENTS_PATH = '/events'
export const TOKEN_COOKIE = 'rnn_lab_token'
/** `serve` only: POST a file's bytes here (`?name=`) to import it; answers `{ok, result: {uploadId}}`. */
export const UPLOAD_PATH = '/upload'
/** `serve` only: GET `/files/runs/<runId>/<file>?checkpoint=best|final` streams a run's model or predictions. */
export const RUN_FILES_PATH = '/files/runs'
