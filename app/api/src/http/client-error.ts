// Errors Node's HTTP parser answers before Koa sees the request (431 for oversized headers,
// 400 for a malformed request): without this handler Node writes a bare status line.
import type { Socket } from 'node:net';
import { problemTypeBase } from '../errors';

const answers: Record<string, { status: number; reason: string; code: string; title: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'request_header_fields_too_large',
    title: 'Request header fields too large',
    detail: 'The request headers are larger than this server accepts; send fewer or smaller headers.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'request_timeout',
    title: 'Request timeout',
    detail: 'The request was not received in time.',
  },
};
const malformed = { status: 400, reason: 'Bad Request', code: 'validation_failed', title: 'Request validation failed', detail: 'The request is not valid HTTP/1.1.' };

/** `server.on('clientError', answerClientError)`: a problem+json answer, then the connection closes. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const answer = answers[error.code ?? ''] ?? malformed;
  const body = JSON.stringify({ type: `${problemTypeBase}${answer.code}`, title: answer.title, status: answer.status, detail: answer.detail, code: answer.code });
  socket.end(
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
