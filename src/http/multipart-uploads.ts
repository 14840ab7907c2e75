/**
 * GraphQL multipart requests (one file each), parsed by graphql-upload-minimal: the resolver reads
 * the file as the request body arrives, with no temporary file in between (issue 13). Each file
 * is handed over as an UploadStream (upload-stream.ts) and, when the answer is sent, whatever
 * nobody read of it is drained: a resolver that failed before reading its upload, a mutation that
 * takes no file, an upload read only partly. The request then still ends, and its connection can
 * carry the next one.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { processRequest, Upload, type FileUpload } from 'graphql-upload-minimal';
import { InvalidInputError, PayloadTooLargeError } from '../errors.js';
import type { ReceivedUpload } from '../graphql/scalars.js';
import { drain, UploadStream } from './upload-stream.js';

export interface MultipartLimits {
  maxUploadBytes: number;
  maxBodyBytes: number;
}

export function multipartUploads(limits: MultipartLimits) {
  const options = { maxFileSize: limits.maxUploadBytes, maxFiles: 1, maxFieldSize: limits.maxBodyBytes };
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    processRequest(req, res, options).then(
      (body) => {
        for (const { upload, field } of uploadsIn(body)) guard(upload, field, res, options.maxFileSize);
        req.body = body;
        next();
      },
      (error: unknown) => next(asClientError(error)),
    );
  };
}

/**
 * A malformed, truncated or empty multipart body is the client's fault: parser errors without a
 * status, and processRequest's 500 for a body with neither operations nor map, become 400s.
 */
function asClientError(error: unknown): unknown {
  const status = (error as { status?: number } | null)?.status;
  if (error && typeof error === 'object' && (status === undefined || status >= 500)) {
    return Object.assign(new Error(`Malformed multipart request: ${(error as Error).message}`), { status: 400, expose: true });
  }
  return error;
}

/**
 * The Upload placeholders processRequest put into the operations, with the variable (or input
 * field) each stands for. Walked without recursion: the JSON may nest deeply.
 */
function uploadsIn(body: unknown): Array<{ upload: Upload; field: string }> {
  const found: Array<{ upload: Upload; field: string }> = [];
  const pending: Array<[unknown, string]> = [[body, '']];
  while (pending.length > 0) {
    const [value, field] = pending.pop()!;
    if (value instanceof Upload) found.push({ upload: value, field });
    else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) pending.push([inner, key]);
  }
  return found;
}

/**
 * A file the request never delivered (missing from the body, past the one-file limit, cut off by
 * the client) is the client's fault: answered as such, on the variable that named it, not as an
 * internal error. (type-graphql awaits the upload before the resolver runs: this is its answer.)
 */
function undelivered(error: unknown, field: string): unknown {
  const status = (error as { status?: number } | null)?.status;
  const message = (error as Error | null)?.message;
  if (status === 413) return new PayloadTooLargeError(`The upload was refused: ${message}`);
  if (status !== undefined && status >= 400 && status < 500) return new InvalidInputError(`The upload was refused: ${message}`, { field });
  return error;
}

/**
 * Replaces the file an Upload resolves with by one whose createReadStream() gives an UploadStream,
 * once, and drains what is left of the file when the response is done.
 */
function guard(upload: Upload, field: string, res: Response, maxFileSize: number): void {
  upload.promise = upload.promise.then((file) => {
    // Taken now (busboy's stream, single consumer) so that it can be drained even if nobody asks for it.
    let source: Readable | undefined;
    let failure: unknown;
    try {
      source = file.createReadStream() as unknown as Readable;
    } catch (error) {
      failure = error;
    }
    let stream: UploadStream | undefined;
    const settle = () => {
      if (!source) return;
      if (!stream) drain(source);
      else if (!stream.complete) stream.destroy();
    };
    if (res.writableEnded || res.destroyed) settle();
    else res.once('close', settle);
    const received: ReceivedUpload = {
      filename: file.filename,
      fieldName: file.fieldName,
      mimetype: file.mimetype,
      encoding: file.encoding,
      createReadStream() {
        if (failure) throw failure;
        if (stream) throw new Error('An upload is read once: createReadStream() was called before.');
        stream = new UploadStream(source!, maxFileSize);
        return stream;
      },
    };
    return received as unknown as FileUpload;
  }, (error: unknown) => {
    throw undelivered(error, field);
  });
  // processRequest rejects unread uploads when the request fails; nobody may be waiting for this one.
  upload.promise.catch(() => undefined);
}
