// One query on a client of its own, closed after: the suites' and the
// benchmarks' reads of the data and of the extension's answers, apart from
// any engine's pool.
import pg from 'pg';

export async function query(url, text, values = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}
