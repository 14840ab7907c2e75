/** Scalars: DateTime and JSON from graphql-scalars; Upload from graphql-upload-minimal (multipart requests, http/multipart-uploads.ts). */
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Readable } from 'node:stream';
import { GraphQLUpload, type FileUpload } from 'graphql-upload-minimal';

export { DateTimeResolver, JSONResolver, GraphQLUpload };

/** An Upload as resolvers get it (http/multipart-uploads.ts hands it over): read it once, with createReadStream(). */
export type ReceivedUpload = Omit<FileUpload, 'createReadStream'> & { createReadStream(): Readable };
