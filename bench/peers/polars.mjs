// preprocess as nodejs-polars does it, for the benchmark's side-by-side figures:
// `node polars.mjs INPUT.csv OUTPUT.csv`. Reads the CSV, drops exact duplicate rows keeping the
// first, adds text_feature = title + ' ' + song_name (nulls as ''), writes CSV.
import pl from 'nodejs-polars';

const [input, output] = process.argv.slice(2);
const text = (name) => pl.col(name).fillNull(pl.lit(''));
pl.readCSV(input)
  .unique({ maintainOrder: true })
  .withColumns(pl.concatString([text('title'), text('song_name')], ' ').alias('text_feature'))
  .writeCSV(output);
