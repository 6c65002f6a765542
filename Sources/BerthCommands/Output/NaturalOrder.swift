/// sortorder.NaturalLess, which docker uses for `port` and `network ls`: runs of digits
/// compare as numbers, everything else byte by byte.
enum NaturalOrder {
  static func less(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    var i = 0
    var j = 0
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    while i < x.count && j < y.count {
      if isDigit(x[i]) && isDigit(y[j]) {
        var ei = i
        while ei < x.count && isDigit(x[ei]) { ei += 1 }
        var ej = j
        while ej < y.count && isDigit(y[ej]) { ej += 1 }
        // Compare without leading zeros: longer is bigger, then digit by digit.
        var si = i
        while si < ei - 1 && x[si] == 0x30 { si += 1 }
        var sj = j
        while sj < ej - 1 && y[sj] == 0x30 { sj += 1 }
        if ei - si != ej - sj { return ei - si < ej - sj }
        for k in 0..<(ei - si) where x[si + k] != y[sj + k] { return x[si + k] < y[sj + k] }
        if ei - i != ej - j { return ei - i < ej - j }
        i = ei
        j = ej
      } else {
        if x[i] != y[j] { return x[i] < y[j] }
        i += 1
        j += 1
      }
    }
    return x.count - i < y.count - j
  }
}
