/// One record of Go's `encoding/csv` (comma-separated, `"…"` fields with `""` for a quote),
/// the syntax of `--mount` values.
enum CSVFields {
  static func parse(_ text: String) throws(ParseFailure) -> [String] {
    let s = text.scalars
    var fields: [String] = []
    var i = 0
    while true {
      var field = Scalars()
      if i < s.count && s[i] == "\"" {
        i += 1
        var closed = false
        while i < s.count {
          if s[i] == "\"" {
            if i + 1 < s.count && s[i + 1] == "\"" {
              field.append("\"")
              i += 2
              continue
            }
            i += 1
            closed = true
            break
          }
          field.append(s[i])
          i += 1
        }
        guard closed else { throw ParseFailure("extraneous or missing \" in quoted-field") }
        guard i == s.count || s[i] == "," else { throw ParseFailure("extraneous or missing \" in quoted-field") }
      } else {
        while i < s.count && s[i] != "," {
          if s[i] == "\"" { throw ParseFailure("bare \" in non-quoted-field") }
          field.append(s[i])
          i += 1
        }
      }
      fields.append(String(field))
      if i >= s.count { break }
      i += 1  // the comma
    }
    return fields
  }
}
