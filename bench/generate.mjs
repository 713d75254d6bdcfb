// Generates a deterministic songs-like CSV for the benchmark: the bundled data's 16 columns,
// values drawn per genre from the real data (floats jittered within the valid ranges), about 2%
// exact duplicate rows, and nulls in title and song_name where the real genre has them.
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { formatCsvLine, formatPythonFloat, openTable } from '../packages/table/dist/index.js';

const RANGES = {
  danceability: [0, 1], energy: [0, 1], speechiness: [0, 1], acousticness: [0, 1], instrumentalness: [0, 1],
  liveness: [0, 1], valence: [0, 1], loudness: [-35, 5], tempo: [50, 250], duration_ms: [20000, 1000000],
};
const FLOATS = ['danceability', 'energy', 'loudness', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo'];

/** mulberry32: a small seeded generator; the data depends on rows and seed only. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function loadPools(source) {
  const reader = await openTable(source);
  const columns = reader.columns;
  const genreAt = columns.indexOf('genre');
  const pools = new Map();
  for await (const batch of reader.batches()) {
    for (const row of batch) {
      const genre = row[genreAt];
      if (!pools.has(genre)) pools.set(genre, []);
      pools.get(genre).push(row);
    }
  }
  const spread = {};
  for (const name of FLOATS) {
    const c = columns.indexOf(name);
    const values = [...pools.values()].flat().map((r) => Number(r[c]));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    spread[name] = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  }
  return { columns, pools: [...pools.entries()], spread };
}

export async function generateSongs({ rows, seed, out, source }) {
  const { columns, pools, spread } = await loadPools(source);
  const random = generator(seed);
  const total = pools.reduce((sum, [, p]) => sum + p.length, 0);
  const pickGenre = () => {
    let x = random() * total;
    for (const [genre, pool] of pools) if ((x -= pool.length) < 0) return pool;
    return pools[pools.length - 1][1];
  };
  const recent = [];
  const temp = `${out}.partial-${process.pid}`;
  const stream = createWriteStream(temp);
  const write = (text) => (stream.write(text) ? undefined : new Promise((resolve) => stream.once('drain', resolve)));
  await write(`${columns.join(',')}\n`);
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    let line;
    if (recent.length > 0 && random() < 0.02) {
      line = recent[Math.floor(random() * recent.length)];
    } else {
      const pool = pickGenre();
      const base = pool[Math.floor(random() * pool.length)];
      const row = columns.map((name, c) => {
        const value = pool[Math.floor(random() * pool.length)][c];
        if (name === 'title' || name === 'song_name' || name === 'genre') return base[c];
        if (FLOATS.includes(name)) {
          const [low, high] = RANGES[name];
          const jittered = Number(value) + (random() - 0.5) * 0.05 * spread[name];
          return formatPythonFloat(Number(Math.min(high, Math.max(low, jittered)).toPrecision(4)));
        }
        if (name === 'duration_ms') {
          const [low, high] = RANGES[name];
          return String(Math.round(Math.min(high, Math.max(low, Number(value) + (random() - 0.5) * 2000))));
        }
        return value;
      });
      line = formatCsvLine(row);
      if (recent.length < 10_000) recent.push(line);
      else recent[Math.floor(random() * recent.length)] = line;
    }
    buffer += `${line}\n`;
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  await new Promise((resolve, reject) => stream.end((error) => (error ? reject(error) : resolve())));
  renameSync(temp, out);
}

/** The cached file for (rows, seed), generated on first use. */
export async function songsFile(cacheDir, rows, seed, source) {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `songs-${rows}-${seed}.csv`);
  if (!existsSync(out)) await generateSongs({ rows, seed, out, source });
  return out;
}

/**
 * The same rows as a Parquet file typed like the bundled genres_mod1.parquet (DOUBLE, INT64,
 * UTF8 strings), written with hyparquet-writer and cached beside the CSV. Written one row group
 * at a time, so memory stays flat at any size (all columns held at once ran out of heap at 10M
 * rows).
 */
export async function songsParquet(csvPath) {
  const out = csvPath.replace(/\.csv$/, '.parquet');
  if (existsSync(out)) return out;
  const { ParquetWriter, fileWriter, schemaFromColumnData } = await import('hyparquet-writer');
  const reader = await openTable(csvPath);
  const names = reader.columns;
  const types = names.map((name) => (['key', 'mode', 'duration_ms', 'time_signature'].includes(name) ? 'INT64' : FLOATS.includes(name) ? 'DOUBLE' : 'STRING'));
  const typed = (cell, c) => (cell === null ? null : types[c] === 'INT64' ? BigInt(cell) : types[c] === 'DOUBLE' ? Number(cell) : cell);
  const temp = `${out}.partial-${process.pid}`;
  let parquet;
  let columns = names.map(() => []);
  const writeGroup = () => {
    const columnData = names.map((name, c) => ({ name, type: types[c], data: columns[c] }));
    parquet ??= new ParquetWriter({ writer: fileWriter(temp), schema: schemaFromColumnData({ columnData }) });
    parquet.write({ columnData: columnData.map(({ name, data }) => ({ name, data })), rowGroupSize: ROW_GROUP_ROWS });
    columns = names.map(() => []);
  };
  for await (const batch of reader.batches()) {
    for (const cells of batch) {
      for (let c = 0; c < cells.length; c++) columns[c].push(typed(cells[c], c));
      if (columns[0].length === ROW_GROUP_ROWS) writeGroup();
    }
  }
  if (columns[0].length > 0 || !parquet) writeGroup();
  parquet.finish();
  renameSync(temp, out);
  return out;
}

const ROW_GROUP_ROWS = 100_000;
