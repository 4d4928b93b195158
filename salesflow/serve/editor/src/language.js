// The process language for CodeMirror: a Mermaid flowchart with salesflow's metadata.
// A line-by-line tokenizer (StreamLanguage) is enough for highlighting: the front matter between
// `---` lines, the header (`flowchart LR`, `graph TD;`), keywords (subgraph, end, classDef…),
// node shapes and their labels, links with their text, `id@{ … }` data (over several lines too),
// `:::class`, and `%%` comments (a `%%{init}%%` directive is shown as meta, not as a comment).
import { StreamLanguage } from "@codemirror/language";

const HEADER = /^\s*(flowchart|graph|swimlane-beta|swimlane)\b/;
const DIRECTION = /^(TD|TB|BT|RL|LR)\b/;
const KEYWORD = /^(subgraph|end|direction|classDef|class|style|linkStyle|click|accTitle|accDescr|call|href)\b/;
const LINK = /^[<ox]?(?:-{2,}|={2,}|-\.+-|~{3,})[->ox]?/;
const OPEN_SHAPE = /^(\(\(\(|\(\[|\[\[|\[\(|\(\(|\{\{|\[\/|\[\\|\[|\(|\{|>)/;
const CLOSERS = { "(((": ")))", "([": "])", "[[": "]]", "[(": ")]", "((": "))", "{{": "}}", "[/": "]", "[\\": "]", "[": "]", "(": ")", "{": "}", ">": "]" };
const ID = /^[\p{L}\p{N}_][\p{L}\p{N}_\-]*/u;

function startState() {
  return { line: 0, front: 0, data: 0, closer: null, header: false };
}

function frontMatter(stream, state) {
  if (stream.sol() && stream.match(/^---\s*$/)) {
    state.front = 2;
    return "meta";
  }
  if (stream.sol() && stream.match(/^\s*(-\s+)?[^\s:#][^:#]*?(?=:(\s|$))/)) return "propertyName";
  if (stream.match(/^\s*#.*/)) return "comment";
  if (stream.match(/^:/)) return "punctuation";
  stream.skipToEnd();
  return "string";
}

function nodeData(stream, state) {
  if (stream.eatSpace()) return null;
  if (stream.match("}")) {
    state.data -= 1;
    return "brace";
  }
  if (stream.match("{")) {
    state.data += 1;
    return "brace";
  }
  if (stream.match(/^[\p{L}\p{N}_\-]+(?=\s*:)/u)) return "propertyName";
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/) || stream.match(/^'[^']*'?/)) return "string";
  if (stream.match(/^[:,\[\]\-]/)) return "punctuation";
  if (stream.match(/^#.*/)) return "comment";
  stream.match(/^[^,\[\]{}:"']+/) || stream.next();
  return "string";
}

function token(stream, state) {
  if (stream.sol()) {
    state.line += 1;
    if (state.line === 1 && state.front === 0 && stream.match(/^---\s*$/)) {
      state.front = 1;
      return "meta";
    }
  }
  if (state.front === 1) return frontMatter(stream, state);
  if (stream.match(/^%%\{.*?\}%%/)) return "meta";
  if (stream.match("%%")) {
    stream.skipToEnd();
    return "comment";
  }
  if (state.data > 0) return nodeData(stream, state);
  if (state.closer) {
    if (stream.match(state.closer)) {
      state.closer = null;
      return "bracket";
    }
    if (stream.match(/^"[^"]*"?/)) return "string";
    const end = stream.string.indexOf(state.closer, stream.pos);
    if (end < 0) stream.skipToEnd();
    else stream.pos = Math.max(end, stream.pos + 1);
    return "string";
  }
  if (stream.eatSpace()) return null;
  if (!state.header && stream.match(HEADER)) {
    state.header = true;
    return "keyword";
  }
  if (state.header && stream.match(DIRECTION)) return "atom";
  if (stream.match("@{")) {
    state.data = 1;
    return "brace";
  }
  if (stream.match(/^[\p{L}\p{N}_]+@(?=[-=~.<ox])/u)) return "labelName";
  if (stream.match(LINK)) return "operator";
  if (stream.match(/^\|[^|]*\|/)) return "string";
  if (stream.match(/^:::[\p{L}\p{N}_\-]+/u)) return "typeName";
  const shape = stream.match(OPEN_SHAPE);
  if (shape) {
    state.closer = CLOSERS[shape[0]];
    return "bracket";
  }
  if (stream.match(/^"[^"]*"?/)) return "string";
  if (stream.match(KEYWORD)) return "keyword";
  if (stream.match(ID)) return "variableName";
  if (stream.match(/^[&;,]/)) return "punctuation";
  stream.next();
  return null;
}

export const processLanguage = StreamLanguage.define({
  name: "salesflow",
  startState,
  token,
  copyState: (state) => ({ ...state }),
  languageData: { commentTokens: { line: "%%" } },
});
