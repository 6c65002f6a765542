import LinuxOS

extension CommandContext {
  /// docker's PromptForConfirmation: the message and ` [y/N] ` on stdout, one line read
  /// from stdin; only "y" or "Y" confirms (end of input declines).
  func confirm(_ message: String) -> Bool {
    out(message + " [y/N] ")
    var line: [UInt8] = []
    while true {
      guard let chunk = try? FD.read(io.stdin, max: 1), let byte = chunk.first else { break }
      if byte == UInt8(ascii: "\n") { break }
      line.append(byte)
    }
    let answer = String(decoding: line, as: UTF8.self).trimmedWhitespace()
    return answer == "y" || answer == "Y"
  }
}
