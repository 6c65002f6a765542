/// Go's text/tabwriter as docker uses it (`minwidth`, `tabwidth` 1, `padding`, padchar ' ',
/// no flags): tab-terminated cells are aligned per column block; text after the last tab
/// of a line is not a cell.
public struct TabWriter {
  public var minWidth: Int
  public var padding: Int

  public init(minWidth: Int = 10, padding: Int = 3) {
    self.minWidth = minWidth
    self.padding = padding
  }

  struct Cell {
    var text: String
    var width: Int
  }

  /// Aligns `text` (lines separated by "\n").
  public func format(_ text: String) -> String {
    var lines: [[Cell]] = []
    let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let endsWithNewline = text.hasSuffix("\n")
    for (n, raw) in rawLines.enumerated() {
      if n == rawLines.count - 1 && endsWithNewline && raw.isEmpty { break }
      lines.append(
        raw.split(separator: "\t", omittingEmptySubsequences: false).map {
          Cell(text: String($0), width: $0.unicodeScalars.count)
        })
    }
    var out = ""
    var widths: [Int] = []
    format(lines: lines, line0: 0, line1: lines.count, widths: &widths, out: &out)
    if !endsWithNewline, out.hasSuffix("\n") { out.removeLast() }
    return out
  }

  private func format(lines: [[Cell]], line0 start: Int, line1: Int, widths: inout [Int], out: inout String) {
    var line0 = start
    let column = widths.count
    var this = line0
    while this < line1 {
      if column >= lines[this].count - 1 {
        this += 1
        continue
      }
      write(lines: lines, from: line0, to: this, widths: widths, out: &out)
      line0 = this
      var width = minWidth
      while this < line1 {
        let line = lines[this]
        if column >= line.count - 1 { break }
        width = max(width, line[column].width + padding)
        this += 1
      }
      widths.append(width)
      format(lines: lines, line0: line0, line1: this, widths: &widths, out: &out)
      widths.removeLast()
      line0 = this
    }
    write(lines: lines, from: line0, to: line1, widths: widths, out: &out)
  }

  private func write(lines: [[Cell]], from: Int, to: Int, widths: [Int], out: inout String) {
    guard from < to else { return }
    for i in from..<to {
      let line = lines[i]
      for (j, cell) in line.enumerated() {
        out += cell.text
        if j < widths.count && j < line.count - 1 {
          out += String(repeating: " ", count: max(0, widths[j] - cell.width))
        }
      }
      out += "\n"
    }
  }
}
