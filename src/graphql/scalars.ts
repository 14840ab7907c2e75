/** Scalars: DateTime and JSON from graphql-scalars; Upload from graphql-upload (multipart requests). */
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';

export { DateTimeResolver, JSONResolver, GraphQLUpload };
