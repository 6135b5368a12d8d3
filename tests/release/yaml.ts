// A tiny reader for the YAML the workflows are written in: block mappings and sequences by
// indentation, plain and quoted scalars, `|` / `>` block scalars, `{}` and `[]`, and comments. It
// throws on anything else (anchors, flow collections with content, tabs), so a workflow it cannot
// read fails the test instead of being misread. Scalars stay strings.
export type Yaml = string | null | Yaml[] | { [key: string]: Yaml };

interface Line {
    no: number;
    indent: number;
    text: string;
}

const KEY = /^("[^"]*"|'[^']*'|[^\s"'#{}\[\]&*!|>,][^:#]*?):(?:\s+|$)(.*)$/;

export function parseYaml(source: string): Yaml {
    const raw = source.replace(/\r\n/g, "\n").split("\n");
    let i = 0;

    const fail = (no: number, why: string): never => {
        throw new Error(`yaml: line ${no + 1}: ${why}: ${raw[no]}`);
    };
    /** The next line that is neither blank nor only a comment, without consuming it. */
    const peek = (): Line | undefined => {
        while (i < raw.length && /^\s*(#.*)?$/.test(raw[i])) {
            i++;
        }
        if (i >= raw.length) {
            return undefined;
        }
        const m = /^( *)(.*)$/.exec(raw[i]) as RegExpExecArray;
        if (m[2].startsWith("\t")) {
            fail(i, "tab indentation");
        }
        return { no: i, indent: m[1].length, text: m[2] };
    };

    const scalar = (text: string, no: number): Yaml => {
        let t = text.trim();
        if (t.startsWith('"')) {
            const m = /^("(?:[^"\\]|\\.)*")\s*(#.*)?$/.exec(t) ?? fail(no, "unterminated string");
            return JSON.parse(m[1]);
        }
        if (t.startsWith("'")) {
            const m = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(t) ?? fail(no, "unterminated string");
            return m[1].replace(/''/g, "'");
        }
        t = t.replace(/(^|\s+)#.*$/, "");
        if (t === "{}") {
            return {};
        }
        if (t === "[]") {
            return [];
        }
        if (t === "" || t === "~" || t === "null") {
            return null;
        }
        if (/^[{\[&*!]/.test(t)) {
            fail(no, "unsupported YAML");
        }
        return t;
    };

    const blockScalar = (indicator: string, parentIndent: number): string => {
        const body: string[] = [];
        while (i < raw.length && (/^\s*$/.test(raw[i]) || /^( *)/.exec(raw[i])![1].length > parentIndent)) {
            body.push(raw[i]);
            i++;
        }
        while (body.length && /^\s*$/.test(body[body.length - 1])) {
            body.pop();
        }
        const strip = Math.min(...body.filter(l => l.trim()).map(l => /^( *)/.exec(l)![1].length));
        const lines = body.map(l => l.slice(strip));
        const text = indicator.startsWith(">") ? lines.join(" ") : lines.join("\n");
        return indicator.endsWith("-") ? text : `${text}\n`;
    };

    /** The value after `key:` (or `- `) whose text was `rest` on the line `no` at `indent`. */
    const value = (rest: string, indent: number, no: number): Yaml => {
        const r = rest.replace(/^\s*#.*$/, "");
        if (/^[|>][-+]?\s*(#.*)?$/.test(r)) {
            return blockScalar(r.trim().split(/\s/)[0], indent);
        }
        if (r.trim() !== "") {
            return scalar(r, no);
        }
        const next = peek();
        if (next && (next.indent > indent || (next.indent === indent && /^-( |$)/.test(next.text)))) {
            return block(next.indent);
        }
        return null;
    };

    const block = (indent: number): Yaml => {
        const first = peek() as Line;
        if (/^-( |$)/.test(first.text)) {
            const seq: Yaml[] = [];
            for (let l = peek(); l && l.indent === indent && /^-( |$)/.test(l.text); l = peek()) {
                const rest = l.text.slice(1).replace(/^ +/, "");
                const inner = indent + (l.text.length - rest.length);
                if (KEY.test(rest)) {
                    // `- key: value`: a mapping whose keys line up after the dash.
                    raw[l.no] = " ".repeat(inner) + rest;
                    seq.push(block(inner));
                } else {
                    i++;
                    seq.push(value(rest, indent, l.no));
                }
            }
            return seq;
        }
        const map: { [key: string]: Yaml } = {};
        for (let l = peek(); l && l.indent === indent && !/^-( |$)/.test(l.text); l = peek()) {
            const m = KEY.exec(l.text) ?? fail(l.no, "expected `key: value`");
            const key = scalar(m[1], l.no) as string;
            if (key in map) {
                fail(l.no, `duplicate key ${key}`);
            }
            i++;
            map[key] = value(m[2], indent, l.no);
        }
        const after = peek();
        if (after && after.indent > indent) {
            fail(after.no, "unexpected indentation");
        }
        return map;
    };

    const top = peek();
    if (!top) {
        return null;
    }
    const doc = block(top.indent);
    const left = peek();
    if (left) {
        fail(left.no, "unexpected content");
    }
    return doc;
}
