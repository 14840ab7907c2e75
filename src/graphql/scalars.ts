/** Scalars: DateTime and JSON from graphql-scalars; Upload from graphql-upload-minimal (multipart requests, http/multipart-uploads.ts). */
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { GraphQLUpload } from 'graphql-upload-minimal';

export { DateTimeResolver, JSONResolver, GraphQLUpload };
