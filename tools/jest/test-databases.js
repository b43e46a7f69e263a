// Each jest run names its PostgreSQL databases with a prefix of its own and drops them all at
// the end, so no run depends on what an earlier one left and nothing is left behind.
const crypto = require('node:crypto');

const BASE_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432';

function newPrefix() {
  return `t_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
}

async function dropDatabases(prefix) {
  if (!prefix) return;
  let pg;
  try {
    pg = require('pg');
  } catch {
    return; // no project uses PostgreSQL
  }
  const client = new pg.Client({ connectionString: `${BASE_URL}/postgres` });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } catch (error) {
    console.warn(`[jest] could not drop test databases ${prefix}*: ${error.message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

module.exports = { BASE_URL, newPrefix, dropDatabases };
