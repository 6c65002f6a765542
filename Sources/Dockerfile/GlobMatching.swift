/// Glob matching as a set-of-states simulation (Thompson's construction): every token is a
/// state; `*` and `**` loop on themselves; `**/` has an extra "inside a directory name" state.
/// Each text character advances all live states at once, so time is O(tokens × text) and
/// memory O(tokens), whatever the input.
extension Glob {
  /// True when the whole of `text` matches.
  func matches(_ text: String) -> Bool {
    var m = Machine(self)
    return m.run(text.scalars, mode: .whole)
  }

  /// `.dockerignore` semantics: the pattern matches `path` or one of its parent directories
  /// (the `(/.*)?$` BuildKit appends to every pattern).
  func matchesPathOrParent(_ path: String) -> Bool {
    var m = Machine(self)
    return m.run(path.scalars, mode: .pathOrParent)
  }

  /// True when some path below directory `dir` could match: used to decide whether an
  /// excluded directory must still be walked for an exception inside it.
  func couldMatchInside(_ dir: String) -> Bool {
    var m = Machine(self)
    return m.run((dir + "/").scalars, mode: .prefix)
  }

  /// The lengths `k` for which `text[0..<k]` matches, ascending (only the first with
  /// `firstOnly`).
  func matchingPrefixLengths(of text: Scalars, firstOnly: Bool = false) -> [Int] {
    var m = Machine(self)
    var lengths: [Int] = []
    m.reset(start: 0)
    for k in 0...text.count {
      if m.accepting {
        lengths.append(k)
        if firstOnly { break }
      }
      if k == text.count || !m.alive { break }
      m.step(text[k])
    }
    return lengths
  }

  /// The same pattern read backwards (for suffix trimming by prefix matching).
  var reversed: Glob { Glob(tokens: tokens.reversed(), pathAware: pathAware) }

  /// The leftmost match starting at or after `from`, and the longest one there.
  func leftmostLongestMatch(in text: Scalars, from: Int) -> Range<Int>? {
    var m = Machine(self)
    return m.leftmostLongest(text, from: from)
  }

  struct Machine {
    enum Mode { case whole, pathOrParent, prefix }
    let tokens: [Token]
    let pathAware: Bool
    /// Live states by token index (`tokens.count` is "pattern consumed"), with the text
    /// position the thread started at (for leftmost matching).
    var live: [Int?]
    /// Threads inside a `**/` directory run, waiting for the `/` that ends it.
    var inside: [Int?]
    /// The pattern matched a parent directory: everything after is inside it.
    var absorbed: Int?
    /// The previous step's states, kept to avoid allocating per character.
    var spareLive: [Int?]
    var spareInside: [Int?]

    init(_ glob: Glob) {
      tokens = glob.tokens
      pathAware = glob.pathAware
      live = Array(repeating: nil, count: glob.tokens.count + 1)
      inside = Array(repeating: nil, count: glob.tokens.count)
      spareLive = live
      spareInside = inside
    }

    var accepting: Bool { live[tokens.count] != nil }
    var alive: Bool { absorbed != nil || live.contains { $0 != nil } || inside.contains { $0 != nil } }

    mutating func reset(start: Int) {
      for i in live.indices { live[i] = nil }
      for i in inside.indices { inside[i] = nil }
      absorbed = nil
      add(0, start)
    }

    /// Activates state `t` for a thread that started at `start`, following the tokens
    /// that can match the empty string.
    mutating func add(_ t: Int, _ start: Int) {
      var t = t
      while true {
        if let existing = live[t], existing <= start { return }
        live[t] = start
        guard t < tokens.count else { return }
        switch tokens[t] {
        case .star, .directories, .everything: t += 1
        default: return
        }
      }
    }

    private func single(_ token: Token, _ c: Unicode.Scalar) -> Bool {
      switch token {
      case .literal(let l): return l == c
      case .anyOne: return !(pathAware && c == "/")
      case .set(let negated, let ranges):
        if pathAware && c == "/" { return false }
        return ranges.contains { $0.contains(c.value) } != negated
      default: return false
      }
    }

    /// Advances every live thread over one character.
    mutating func step(_ c: Unicode.Scalar) {
      swap(&live, &spareLive)
      swap(&inside, &spareInside)
      for i in live.indices { live[i] = nil }
      for i in inside.indices { inside[i] = nil }
      let current = spareLive
      let currentInside = spareInside
      func keepInside(_ t: Int, _ start: Int) {
        if let existing = inside[t], existing <= start { return }
        inside[t] = start
      }
      for t in 0..<tokens.count {
        if let start = currentInside[t] {
          keepInside(t, start)
          if c == "/" { add(t + 1, start) }
        }
        guard let start = current[t] else { continue }
        switch tokens[t] {
        case .star:
          if !(pathAware && c == "/") { add(t, start) }
        case .everything:
          add(t, start)
        case .directories:
          keepInside(t, start)
          if c == "/" { add(t + 1, start) }
        default:
          if single(tokens[t], c) { add(t + 1, start) }
        }
      }
      if let start = current[tokens.count], c == "/", absorbed.map({ start < $0 }) ?? true { absorbed = start }
    }

    mutating func run(_ text: Scalars, mode: Mode) -> Bool {
      reset(start: 0)
      for c in text {
        if mode == .pathOrParent && absorbed != nil { return true }
        step(c)
        if !alive { return false }
      }
      switch mode {
      case .whole: return accepting
      case .pathOrParent: return accepting || absorbed != nil
      case .prefix: return alive
      }
    }

    /// Threads start at every position until one matches; then only threads that started
    /// no later continue, to find the longest match from the leftmost start.
    mutating func leftmostLongest(_ text: Scalars, from: Int) -> Range<Int>? {
      for i in live.indices { live[i] = nil }
      for i in inside.indices { inside[i] = nil }
      var best: Range<Int>? = nil
      var pos = from
      while true {
        if best == nil { add(0, pos) }
        if let start = live[tokens.count] {
          if best == nil || start < (best?.lowerBound ?? Int.max)
            || (start == best?.lowerBound && pos > (best?.upperBound ?? 0))
          {
            best = start..<pos
          }
        }
        if let b = best {
          for i in live.indices where (live[i] ?? Int.min) > b.lowerBound { live[i] = nil }
          for i in inside.indices where (inside[i] ?? Int.min) > b.lowerBound { inside[i] = nil }
        }
        guard pos < text.count else { break }
        if best != nil && !live.contains(where: { $0 != nil }) && !inside.contains(where: { $0 != nil }) { break }
        step(text[pos])
        pos += 1
      }
      return best
    }
  }
}
