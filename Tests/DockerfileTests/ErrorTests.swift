import Testing

@testable import Dockerfile

/// Malformed Dockerfiles give one line-numbered error each, worded as BuildKit does.
struct ErrorTests {
  @Test(
    "line-numbered errors",
    arguments: [
      ("FROM scratch\n\n\n\n\n\nRUNN make", "Dockerfile:7: unknown instruction: RUNN"),
      ("FROM scratch\nfrobnicate x", "Dockerfile:2: unknown instruction: frobnicate"),
      ("FROM a b", "Dockerfile:1: FROM requires either one or three arguments"),
      ("FROM scratch\nRUN <<EOF\nx", "Dockerfile:2: unterminated heredoc EOF"),
      (
        "FROM scratch\nSHELL [\"sh\", 1]",
        "Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only"
      ),
      ("FROM scratch\nSHELL sh -c", "Dockerfile:2: SHELL requires the arguments to be in JSON form"),
      ("FROM scratch\nRUN \\\n", "Dockerfile:2: RUN requires at least one argument"),
      ("RUN echo", "Dockerfile:1: no build stage in current context"),
      ("ARG A\n# only args", "Dockerfile:1: dockerfile contains no stages to build"),
      ("", "Dockerfile:1: file with no instructions"),
      ("# comment\n\n", "Dockerfile:2: file with no instructions"),
      ("FROM scratch\nCOPY --bogus a b", "Dockerfile:2: unknown flag: --bogus"),
      ("FROM scratch\nUSER", "Dockerfile:2: USER requires exactly one argument"),
      ("FROM scratch\nSTOPSIGNAL", "Dockerfile:2: STOPSIGNAL requires exactly one argument"),
      ("FROM scratch\nCMD", "Dockerfile:2: CMD requires at least one argument"),
      ("FROM scratch\nRUN []", "Dockerfile:2: RUN requires at least one argument"),
      ("FROM scratch\nLABEL", "Dockerfile:2: LABEL requires at least one argument"),
      ("FROM scratch\nVOLUME", "Dockerfile:2: VOLUME requires at least one argument"),
      ("FROM scratch\nHEALTHCHECK", "Dockerfile:2: HEALTHCHECK requires at least one argument"),
      ("# escape=`\n# escape=\\\nFROM x", "Dockerfile:2: only one escape parser directive can be used"),
    ])
  func messages(text: String, expected: String) {
    #expect(parseError(text)?.description == expected)
  }

  @Test func multiLineInstructionReportsItsRange() {
    let error = parseError("FROM scratch\nCOPY --chown=a \\\n  --nope=1 \\\n  a b")
    #expect(error?.line == 2)
    #expect(error?.endLine == 4)
  }

  @Test func fileNameInMessages() {
    do {
      _ = try Dockerfile.parse("FROM", fileName: "api.Dockerfile")
      Issue.record("expected an error")
    } catch {
      #expect(error.description == "api.Dockerfile:1: FROM requires either one or three arguments")
    }
  }
}
