/**
 * Stops a test run at once, saying why, on a Node.js that cannot load karma.conf.js. Karma 6 loads its
 * config with require(), and require() of an ES module works only from Node.js 20.19 on the 20 line and
 * from 22.12; on older versions karma fails with ERR_REQUIRE_ESM and advice to edit karma itself.
 */
import {readFileSync} from 'node:fs';
import {URL} from 'node:url';

// `require_module` says whether require() of ES modules is on, which is what matters, not the version
// number (a flag can also turn it off). Older versions lack the property.
if (!process.features.require_module) {
  const {engines} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  console.error(
    `Node.js ${process.version} cannot run the browser tests: karma loads karma.conf.js, an ES module, ` +
      `with require(), which needs Node.js ${engines.node} (package.json "engines").`,
  );
  process.exit(1);
}
