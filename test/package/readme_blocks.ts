/**
 * Finds the code blocks of a Markdown file and says how each JavaScript or TypeScript block is run.
 * A runnable block names its environment after the language, in the fence's info string:
 *
 *     ```ts browser        runs where navigator.gpu exists and https://example.com serves the models
 *     ```js node           runs in plain Node.js as an ES module
 *     ```js node commonjs  the same as a CommonJS script (require())
 *     ```ts illustrative   not run: for code that cannot run as written (keep it rare; see test/README.md)
 *
 * A JavaScript or TypeScript block with no environment, two environments or a word this does not know
 * is an error, so no block is left out by accident.
 */

export type BlockEnvironment = 'node' | 'browser' | 'illustrative';

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word, lower-cased ('' if none). */
  lang: string;
  /** The info string's other words. */
  words: string[];
  code: string;
}

export interface RunnableBlock extends CodeBlock {
  environment: BlockEnvironment;
  /** Run as a CommonJS script instead of an ES module. */
  commonjs: boolean;
  typescript: boolean;
}

const JS_LANGS = new Set(['js', 'javascript', 'mjs', 'cjs']);
const TS_LANGS = new Set(['ts', 'typescript', 'mts', 'cts']);
const ENVIRONMENTS: readonly BlockEnvironment[] = ['node', 'browser', 'illustrative'];
const FLAGS = ['commonjs'];

/** Every fenced code block (``` or ~~~, indented or not, as CommonMark reads them). */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i]);
    if (open == null) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close != null && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      // Content lines lose up to the opening fence's indentation, as CommonMark says.
      body.push(lines[j].replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    const [lang = '', ...words] = info
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    blocks.push({line: i + 1, lang: lang.toLowerCase(), words, code: body.join('\n') + '\n'});
    i = j;
  }
  return blocks;
}

/** The JavaScript and TypeScript blocks with their environments; throws on a block not marked right. */
export function runnableBlocks(markdown: string, file: string): RunnableBlock[] {
  const runnable: RunnableBlock[] = [];
  for (const block of codeBlocks(markdown)) {
    const typescript = TS_LANGS.has(block.lang);
    if (!typescript && !JS_LANGS.has(block.lang)) continue;
    const where = `${file}:${block.line} (\`\`\`${[block.lang, ...block.words].join(' ')})`;
    const environments = block.words.filter((w): w is BlockEnvironment =>
      (ENVIRONMENTS as readonly string[]).includes(w),
    );
    const unknown = block.words.filter(
      (w) => !environments.includes(w as BlockEnvironment) && !FLAGS.includes(w),
    );
    if (unknown.length > 0) {
      throw new Error(
        `${where}: unknown word(s) ${unknown.join(', ')}; expected ${[...ENVIRONMENTS, ...FLAGS].join(', ')}`,
      );
    }
    if (environments.length !== 1) {
      throw new Error(
        `${where}: a ${block.lang} block names exactly one environment after the language ` +
          `(${ENVIRONMENTS.join(', ')}), got ${environments.length === 0 ? 'none' : environments.join(', ')}`,
      );
    }
    const commonjs = block.words.includes('commonjs') || block.lang === 'cjs' || block.lang === 'cts';
    runnable.push({...block, environment: environments[0], commonjs, typescript});
  }
  return runnable;
}
