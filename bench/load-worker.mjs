// Runs autocannon in its own process (so the load generator never competes with the server under
// test for its event loop): options as JSON in argv[2], the result as JSON on stdout.
import autocannon from 'autocannon';

// Buffers (binary request bodies) arrive as their JSON form, { type: 'Buffer', data: [...] }.
const options = JSON.parse(process.argv[2], (_key, value) =>
  value && value.type === 'Buffer' && Array.isArray(value.data) ? Buffer.from(value.data) : value,
);
const result = await autocannon(options);
process.stdout.write(JSON.stringify(result));
