import EngineClient

/// docker's `--format` handling for lists (`ps`, `images`, `volume ls`, …): the default
/// table, `table …` templates with headers, `json`, or a raw template per row.
public struct ListFormatter {
  /// Field name → column header ("ID" → "CONTAINER ID").
  public var headers: [String: String]
  public var defaultTable: String

  public init(defaultTable: String, headers: [String: String]) {
    self.defaultTable = defaultTable
    self.headers = headers
  }

  /// Renders `rows` (one JSON object of display strings per row).
  public func render(format userFormat: String?, rows: [JSON], quiet: Bool = false, quietTemplate: String = "{{.ID}}")
    throws -> String
  {
    var format = userFormat ?? ""
    if quiet && (format.isEmpty || format == "table") { format = quietTemplate }
    if format.isEmpty || format == "table" { format = defaultTable }
    if format == "json" { format = "{{json .}}" }
    let isTable = format.hasPrefix("table")
    var body = isTable ? String(format.dropFirst("table".count)) : format
    body = body.trimmingSpacesOnly().replacingTabEscapes()
    let template: GoTemplate
    do {
      template = try GoTemplate(body)
    } catch {
      throw CommandError.failure("template parsing error: \(error)")
    }
    var out = ""
    if isTable {
      out += try template.render(headerObject()) + "\n"
    }
    for row in rows {
      do {
        out += try template.render(row) + "\n"
      } catch {
        throw CommandError.failure("template: \(error)")
      }
    }
    return isTable ? TabWriter(minWidth: 10, padding: 3).format(out) : out
  }

  func headerObject() -> JSON {
    .object(headers.keys.sorted().map { JSON.Member($0, .string(headers[$0] ?? $0)) })
  }
}

/// Renders one object with a user template (`inspect --format`, `version --format`).
public func renderTemplate(_ format: String, _ value: JSON) throws -> String {
  let template: GoTemplate
  do {
    template = try GoTemplate(format.replacingTabEscapes())
  } catch {
    throw CommandError.failure("template parsing error: \(error)")
  }
  do {
    return try template.render(value)
  } catch {
    throw CommandError.failure("template: \(error)")
  }
}

extension String {
  /// docker replaces the two-character sequences `\t` and `\n` in formats.
  func replacingTabEscapes() -> String {
    var out = ""
    var chars = self[...]
    while let c = chars.first {
      chars = chars.dropFirst()
      if c == "\\", let next = chars.first, next == "t" || next == "n" {
        out.append(next == "t" ? "\t" : "\n")
        chars = chars.dropFirst()
      } else {
        out.append(c)
      }
    }
    return out
  }

  func trimmingSpacesOnly() -> String {
    String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
