/**
 * tfjs-layers calls chained tensor methods (`t.flatten()`, `t.reshape()`, ...). tfjs-core defines them
 * only in `dist/public/chained_ops/register_all_chained_ops`, which the @tensorflow/tfjs union package
 * imports; without the union package nothing does, and a layer fails with "rMat.flatten is not a
 * function". No public entry of tfjs-core 4.x registers them, so this one deep import is unavoidable.
 *
 * That file is ES module code with extensionless imports inside a CommonJS package: bundlers load it,
 * plain Node (import or require) cannot. So `npm run build` (scripts/build.js) replaces the compiled form
 * of this module in dist/ with tfjs-core's registration bundled against tfjs-core's public entry, which
 * resolves everywhere; code that compiles these sources with a bundler takes the import as written.
 */
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
