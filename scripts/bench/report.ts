// What a benchmark run reports: the table's rows (printed as they are
// measured), notes, and each scenario's raw results for the JSON file.

export interface Row {
  scenario: string;
  metric: string;
  value: string;
  target?: string;
  pass?: boolean;
}

/** A number with `digits` decimals, or "n/a" when there was nothing to measure. */
export const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

export class Report {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];
  readonly results: Record<string, unknown> = {};

  /** Adds a row and prints it at once; an arrow, so that scenarios can take it out of the report. */
  readonly row = (scenario: string, metric: string, value: string, target?: string, pass?: boolean) => {
    this.rows.push({ scenario, metric, value, target, pass });
    console.log(`  ${metric}: ${value}${target ? ` (target ${target}: ${pass ? "pass" : "FAIL"})` : ""}`);
  };

  note(text: string) {
    this.notes.push(text);
  }

  /** Prints the rows as one aligned table, and returns its text. */
  printTable(): string {
    const headers = ["scenario", "metric", "value", "target", "result"];
    const body = this.rows.map((r) => [
      r.scenario,
      r.metric,
      r.value,
      r.target ?? "",
      r.target ? (r.pass ? "pass" : "FAIL") : "",
    ]);
    const widths = headers.map((header, i) => Math.max(header.length, ...body.map((cells) => cells[i]!.length)));
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ");
    const out = [line(headers), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
    console.log(`\n${out}`);
    return out;
  }

  printNotes() {
    if (this.notes.length > 0) console.log(`\nNotes:\n${this.notes.map((note) => `- ${note}`).join("\n")}`);
  }
}
