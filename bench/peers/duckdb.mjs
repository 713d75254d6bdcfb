// preprocess as DuckDB (@duckdb/node-api) does it, for the benchmark's side-by-side figures:
// `node duckdb.mjs INPUT.csv OUTPUT.csv`. Drops exact duplicate rows keeping the first, in the
// file's order, adds text_feature = title + ' ' + song_name (nulls as ''), and COPYs it to CSV.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
const quoteName = (name) => `"${name.replaceAll('"', '""')}"`;
const quoteText = (text) => `'${text.replaceAll("'", "''")}'`;
const header = readFileSync(input, { encoding: 'utf8', flag: 'r' }).slice(0, 64 * 1024).split('\n', 1)[0];
const columns = header.split(',').map(quoteName).join(', ');
const connection = await (await DuckDBInstance.create(':memory:')).connect();
await connection.run(`
  COPY (
    SELECT ${columns}, coalesce(title, '') || ' ' || coalesce(song_name, '') AS text_feature
    FROM (SELECT *, row_number() OVER () AS row_at FROM read_csv(${quoteText(input)}, header = true))
    QUALIFY row_number() OVER (PARTITION BY ${columns} ORDER BY row_at) = 1
    ORDER BY row_at
  ) TO ${quoteText(output)} (HEADER, DELIMITER ',')`);
