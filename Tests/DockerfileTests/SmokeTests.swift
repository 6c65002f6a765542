import Testing

@testable import Dockerfile

struct SmokeTests {
  @Test func seedExample() throws {
    let df = try parse(
      """
      # syntax=docker/dockerfile:1

      FROM gcc-base AS build
      WORKDIR /src
      COPY server.c .
      RUN gcc -O2 -o /server server.c && \\
          echo 'Hello World' > /index.html
      CMD ["/server"]
      EXPOSE 8082
      """)
    #expect(df.directives.syntax == "docker/dockerfile:1")
    #expect(df.stages.count == 1)
    let s = df.stages[0]
    #expect(s.name == "build")
    #expect(s.baseName == "gcc-base")
    #expect(s.line == 3)
    #expect(s.instructions.count == 5)
    #expect(s.instructions[0].kind == .workdir("/src"))
    #expect(s.instructions[2].location.startLine == 6)
    #expect(s.instructions[2].location.endLine == 7)
    #expect(
      s.instructions[2].kind
        == .run(RunInstruction(command: .shell("gcc -O2 -o /server server.c &&     echo 'Hello World' > /index.html"))))
    #expect(s.instructions[3].kind == .cmd(.exec(["/server"])))
    #expect(s.instructions[4].kind == .expose(["8082"]))
  }
}
