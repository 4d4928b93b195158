// The studio's editor, as one script: CodeMirror 6 with the process language, the review's
// findings as gutter markers with their message on hover, and the few calls the page needs.
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { Annotation, EditorState, Prec } from "@codemirror/state";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";
import { processLanguage } from "./language.js";

// Colours for the process language: structure (header, keywords, links) stands apart from the
// author's words (labels, metadata values), and metadata keys read like form field names.
const processColours = HighlightStyle.define([
  { tag: tags.keyword, color: "#7c3aed", fontWeight: "600" },
  { tag: tags.atom, color: "#7c3aed" },
  { tag: tags.comment, color: "#6b7280", fontStyle: "italic" },
  { tag: tags.meta, color: "#9ca3af" },
  { tag: tags.string, color: "#9a3412" },
  { tag: tags.propertyName, color: "#1d4ed8" },
  { tag: tags.variableName, color: "#0f766e", fontWeight: "600" },
  { tag: tags.labelName, color: "#0e7490" },
  { tag: tags.typeName, color: "#15803d" },
  { tag: tags.operator, color: "#b45309", fontWeight: "600" },
  { tag: [tags.bracket, tags.brace], color: "#6b7280" },
  { tag: tags.punctuation, color: "#6b7280" },
]);

// Marks the changes the page makes itself (a reload from disk), which are not the author's typing.
const fromPage = Annotation.define();

function create({ parent, doc, nonce, onChange, onSave, onCursor, label }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        processLanguage,
        syntaxHighlighting(processColours),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.cspNonce.of(nonce || ""),
        EditorView.contentAttributes.of({ "aria-label": label || "chart" }),
        Prec.highest(keymap.of([{ key: "Mod-s", preventDefault: true, run: () => (onSave(), true) }])),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !update.transactions.some((t) => t.annotation(fromPage))) onChange();
          if (update.selectionSet && onCursor) onCursor(update.state.doc.lineAt(update.state.selection.main.head).number);
        }),
      ],
    }),
  });

  function offset(line, column) {
    const doc = view.state.doc;
    const at = doc.line(Math.min(Math.max(1, line), doc.lines));
    return Math.min(at.from + Math.max(0, column - 1), at.to);
  }

  return {
    view,
    getText: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: fromPage.of(true) });
    },
    // problems: [{line, column, endLine, endColumn, severity, message}] with 1-based positions
    setProblems(problems) {
      const diagnostics = problems.map((p) => {
        const from = offset(p.line, p.column);
        let to = p.endLine ? offset(p.endLine, p.endColumn) : from;
        if (to <= from) to = Math.min(view.state.doc.lineAt(from).to, from + 1);
        return { from, to: Math.max(to, from), severity: p.severity, message: p.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    selectLine(number) {
      const doc = view.state.doc;
      const line = doc.line(Math.min(Math.max(1, number), doc.lines));
      view.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
      view.focus();
    },
    cursorLine: () => view.state.doc.lineAt(view.state.selection.main.head).number,
  };
}

window.SalesflowEditor = { create };
