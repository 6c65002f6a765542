/// The parser's word splitting for ENV, LABEL and ARG (BuildKit's `parseWords`): words end
/// at unquoted whitespace, but quotes and escapes stay in the word; substitution removes
/// them later.
enum ArgumentWords {
  static func split(_ text: String, escape: Unicode.Scalar) -> [String] {
    let s = text.scalars
    var words: [String] = []
    var word = Scalars()
    var inWord = false
    var quote: Unicode.Scalar? = nil
    var blankOK = false
    var i = 0
    func flush() {
      if blankOK || !word.isEmpty { words.append(String(word)) }
      word.removeAll()
      blankOK = false
    }
    while i < s.count {
      let c = s[i]
      if !inWord && quote == nil {
        if c.isSpace {
          i += 1
          continue
        }
        inWord = true
      }
      if let q = quote {
        if c == q {
          quote = nil
        } else if c == escape && q != "'" {
          if i + 1 == s.count {
            quote = nil
            i += 1
            continue
          }
          word.append(c)
          i += 1
          word.append(s[i])
          i += 1
          continue
        }
        word.append(c)
        i += 1
        continue
      }
      if c.isSpace {
        inWord = false
        flush()
        i += 1
        continue
      }
      if c == "'" || c == "\"" {
        quote = c
        blankOK = true
      }
      if c == escape {
        if i + 1 == s.count {
          i += 1
          continue
        }
        word.append(c)
        i += 1
      }
      word.append(s[i])
      i += 1
    }
    if inWord || quote != nil { flush() }
    return words
  }
}
