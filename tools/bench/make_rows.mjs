// Writes a synthetic token dataset for benchmarks with DuckDB (no data leaves this machine):
//   node tools/bench/make_rows.mjs OUT.parquet ROWS MAX_LENGTH VOCAB
// Row i: id = i (int64), tokens = list<int32> of length 1 + (i*7919 mod MAX_LENGTH), token k = (i*31 + k*17) mod VOCAB.
// Row groups of 100,000 rows, zstd. Needs `npm ci` in tests/fixtures/parquet (DuckDB's node package).
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../tests/fixtures/parquet/package.json', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');

const [out, rows, maxLength, vocab] = process.argv.slice(2);
if (!out || !(rows > 0) || !(maxLength > 0) || !(vocab > 0)) {
  console.error('usage: node tools/bench/make_rows.mjs OUT.parquet ROWS MAX_LENGTH VOCAB');
  process.exit(2);
}

const connection = await (await DuckDBInstance.create(':memory:')).connect();
await connection.run(`
  COPY (
    SELECT i::BIGINT AS id,
           list_transform(range(1 + (i * 7919) % ${Number(maxLength)}), k -> ((i * 31 + k * 17) % ${Number(vocab)})::INTEGER) AS tokens
    FROM range(${Number(rows)}) t(i)
  ) TO '${out.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
console.log(`wrote ${out}: ${rows} rows, lengths 1..${maxLength}, vocab ${vocab}`);
