/// Tricky Dockerfiles with the AST each must parse to (rendered by `ASTDump`). Where a
/// fixture relies on docker's or BuildKit's behaviour rather than the reference, its
/// comment says so.
struct Fixture: Sendable {
  var name: String
  var text: String
  var expected: String
}

enum Corpus {
  static let all: [Fixture] = [
    seedWebServer, heredocs, windowsEscape, multiStage, quoting, onbuild, mounts, configInstructions, messyLines,
    jsonEdgeCases,
  ]

  /// The seeds' example adapted to a local base image (issue 13).
  static let seedWebServer = Fixture(
    name: "seed web server",
    text: """
      FROM gcc-local
      WORKDIR /app
      COPY server.c .
      RUN gcc -O2 -o server server.c \\
       && echo "Hello World" > index.html
      CMD ["./server"]
      EXPOSE 8082

      """,
    expected: #"""
      directives syntax=- escape=\ check=-
      stage 0 name=- base=gcc-local platform=- lines=1-7
        2-2 WORKDIR "/app"
        3-3 COPY "server.c" -> "."
        4-5 RUN shell("gcc -O2 -o server server.c  && echo \"Hello World\" > index.html")
        6-6 CMD exec["./server"]
        7-7 EXPOSE ["8082"]
      """#)

  /// The reference's here-document examples (BuildKit syntax; dockerd 20.10 cannot build it).
  static let heredocs = Fixture(
    name: "heredocs",
    text: """
      # syntax=docker/dockerfile:1
      FROM alpine
      ARG FOO=bar
      RUN <<EOT bash
        set -ex
        apt-get update
      EOT
      RUN <<EOT
      #!/usr/bin/env python
      print("hello world")
      EOT
      RUN <<FILE1 cat > file1 && <<FILE2 cat > file2
      I am
      first
      FILE1
      I am
      second
      FILE2
      COPY <<-EOT /script.sh
      \techo "hello ${FOO}"
      \tEOT
      COPY <<-"EOT" /quoted.sh
      \techo "hello ${FOO}"
      EOT
      ENTRYPOINT ash /script.sh
      """,
    expected: #"""
      directives syntax="docker/dockerfile:1" escape=\ check=-
      stage 0 name=- base=alpine platform=- lines=2-25
        3-3 ARG FOO="bar"
        4-7 RUN shell("<<EOT bash") <<EOT="  set -ex\n  apt-get update\n"
        8-11 RUN shell("<<EOT") <<EOT="#!/usr/bin/env python\nprint(\"hello world\")\n"
        12-18 RUN shell("<<FILE1 cat > file1 && <<FILE2 cat > file2") <<FILE1="I am\nfirst\n" <<FILE2="I am\nsecond\n"
        19-21 COPY <<EOT(chomp)="echo \"hello ${FOO}\"\n" -> "/script.sh"
        22-24 COPY <<EOT(noexpand,chomp)="echo \"hello ${FOO}\"\n" -> "/quoted.sh"
        25-25 ENTRYPOINT shell("ash /script.sh")
      """#)

  /// The reference's Windows example with `# escape=` and SHELL.
  static let windowsEscape = Fixture(
    name: "windows escape",
    text: """
      # escape=`

      FROM microsoft/nanoserver
      SHELL ["powershell","-command"]
      RUN New-Item -ItemType Directory C:\\Example
      ADD Execute-MyCmdlet.ps1 c:\\example\\
      RUN c:\\example\\Execute-MyCmdlet `
          -sample 'hello world'
      COPY testfile.txt c:\\
      """,
    expected: #"""
      directives syntax=- escape=` check=-
      stage 0 name=- base=microsoft/nanoserver platform=- lines=3-9
        4-4 SHELL ["powershell", "-command"]
        5-5 RUN shell("New-Item -ItemType Directory C:\\Example")
        6-6 ADD "Execute-MyCmdlet.ps1" -> "c:\\example\\"
        7-8 RUN shell("c:\\example\\Execute-MyCmdlet     -sample \'hello world\'")
        9-9 COPY "testfile.txt" -> "c:\\"
      """#)

  /// Global ARGs, named stages, COPY --from by name, index and image, mounts from a stage.
  static let multiStage = Fixture(
    name: "multi-stage",
    text: """
      ARG GO_VERSION=1.22
      ARG BASE
      FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS Build
      ARG GO_VERSION
      WORKDIR /src
      RUN --mount=type=bind,target=. --mount=type=cache,target=/root/.cache/go-build \\
          go build -o /out/app ./cmd
      FROM ${BASE:-alpine} AS runtime
      COPY --from=build /out/app /usr/bin/app
      COPY --from=0 /etc/passwd /etc/passwd
      COPY --from=nginx:latest /etc/nginx/nginx.conf /nginx.conf
      RUN --mount=from=build,source=/out,target=/mnt true
      """,
    expected: #"""
      directives syntax=- escape=\ check=-
      meta 1-1 ARG GO_VERSION="1.22"
      meta 2-2 ARG BASE
      stage 0 name=build base=golang:${GO_VERSION} platform=$BUILDPLATFORM lines=3-7
        4-4 ARG GO_VERSION
        5-5 WORKDIR "/src"
        6-7 RUN shell("go build -o /out/app ./cmd") mount(type=bind target="." ro=true) mount(type=cache target="/root/.cache/go-build" ro=false)
      stage 1 name=runtime base=${BASE:-alpine} platform=- lines=8-12
        9-9 COPY from="build" "/out/app" -> "/usr/bin/app"
        10-10 COPY from="0" "/etc/passwd" -> "/etc/passwd"
        11-11 COPY from="nginx:latest" "/etc/nginx/nginx.conf" -> "/nginx.conf"
        12-12 RUN shell("true") mount(type=bind target="/mnt" source="/out" from="build" ro=true)
      """#)

  /// ENV, LABEL and ARG forms from the reference, quotes kept for substitution.
  static let quoting = Fixture(
    name: "quoting",
    text: """
      FROM busybox
      ENV MY_NAME="John Doe"
      ENV MY_DOG=Rex\\ The\\ Dog
      ENV MY_NAME="John Doe" MY_DOG=Rex\\ The\\ Dog \\
          MY_CAT=fluffy
      ENV ONE TWO= THREE=world
      LABEL "com.example.vendor"="ACME Incorporated"
      LABEL com.example.label-with-value="foo"
      LABEL description="This text illustrates \\
      that label-values can span multiple lines."
      ARG user1=someuser buildno=1 'q'="x y"
      ENV abc=hello
      ENV abc=bye def=$abc
      COPY \\$FOO /quux
      """,
    expected: #"""
      directives syntax=- escape=\ check=-
      stage 0 name=- base=busybox platform=- lines=1-14
        2-2 ENV "MY_NAME"="\"John Doe\""
        3-3 ENV "MY_DOG"="Rex\\ The\\ Dog"
        4-5 ENV "MY_NAME"="\"John Doe\"" "MY_DOG"="Rex\\ The\\ Dog" "MY_CAT"="fluffy"
        6-6 ENV "ONE"="TWO= THREE=world"
        7-7 LABEL "\"com.example.vendor\""="\"ACME Incorporated\""
        8-8 LABEL "com.example.label-with-value"="\"foo\""
        9-10 LABEL "description"="\"This text illustrates that label-values can span multiple lines.\""
        11-11 ARG user1="someuser" buildno="1" 'q'="\"x y\""
        12-12 ENV "abc"="hello"
        13-13 ENV "abc"="bye" "def"="$abc"
        14-14 COPY "\\$FOO" -> "/quux"
      """#)

  /// ONBUILD triggers (including the 1.11 COPY --from / mount from forms).
  static let onbuild = Fixture(
    name: "onbuild",
    text: """
      FROM alpine AS baseimage
      ONBUILD ADD . /app/src
      ONBUILD RUN /usr/local/bin/python-build --dir /app/src
      ONBUILD COPY --from=build /usr/bin/app /app
      ONBUILD RUN --mount=from=config,target=/opt/appconfig ls
      onbuild run <<EOF
      echo triggered
      EOF
      """,
    expected: #"""
      directives syntax=- escape=\ check=-
      stage 0 name=baseimage base=alpine platform=- lines=1-8
        2-2 ONBUILD {ADD "." -> "/app/src"} expression="ADD . /app/src"
        3-3 ONBUILD {RUN shell("/usr/local/bin/python-build --dir /app/src")} expression="RUN /usr/local/bin/python-build --dir /app/src"
        4-4 ONBUILD {COPY from="build" "/usr/bin/app" -> "/app"} expression="COPY --from=build /usr/bin/app /app"
        5-5 ONBUILD {RUN shell("ls") mount(type=bind target="/opt/appconfig" from="config" ro=true)} expression="RUN --mount=from=config,target=/opt/appconfig ls"
        6-8 ONBUILD {RUN shell("<<EOF") <<EOF="echo triggered\n"} expression="run <<EOF\necho triggered\nEOF"
      """#)

  /// Every mount type with the reference's options.
  static let mounts = Fixture(
    name: "mounts",
    text: """
      FROM ubuntu
      RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
        --mount=type=cache,target=/var/lib/apt,sharing=locked,id=lib,mode=0700,uid=1,gid=2 \\
        apt-get update
      RUN --mount=type=secret,id=aws,target=/root/.aws/credentials,required=true aws s3 cp s3://a b
      RUN --mount=type=secret,id=API_KEY,env=API_KEY some-command --token-from-env $API_KEY
      RUN --mount=type=ssh,id=default,mode=0600 ssh -q -T git@gitlab.com
      RUN --mount=type=tmpfs,dst=/tmp,size=1g --network=none --security=sandbox make
      RUN --mount=type=cache,target=$HOME/.cache,id=$CACHE_ID true
      """,
    expected: #"""
      directives syntax=- escape=\ check=-
      stage 0 name=- base=ubuntu platform=- lines=1-9
        2-4 RUN shell("apt-get update") mount(type=cache target="/var/cache/apt" ro=false sharing=locked) mount(type=cache target="/var/lib/apt" ro=false id="lib" sharing=locked mode=0700 uid=1 gid=2)
        5-5 RUN shell("aws s3 cp s3://a b") mount(type=secret target="/root/.aws/credentials" ro=true id="aws" required)
        6-6 RUN shell("some-command --token-from-env $API_KEY") mount(type=secret ro=true id="API_KEY" env="API_KEY")
        7-7 RUN shell("ssh -q -T git@gitlab.com") mount(type=ssh ro=true id="default" mode=0600)
        8-8 RUN shell("make") mount(type=tmpfs target="/tmp" ro=false size=1073741824) network=none security=sandbox
        9-9 RUN shell("true") mount(raw "type=cache,target=$HOME/.cache,id=$CACHE_ID")
      """#)

  /// HEALTHCHECK, VOLUME, USER, STOPSIGNAL, EXPOSE, MAINTAINER.
  static let configInstructions = Fixture(
    name: "config instructions",
    text: """
      FROM debian:stable
      MAINTAINER SvenDowideit@home.org.au
      EXPOSE 80 443/tcp 53/udp
      VOLUME ["/var/www", "/var/log/apache2", "/etc/apache2"]
      VOLUME /myvol
      USER 1000:1000
      STOPSIGNAL SIGKILL
      HEALTHCHECK --interval=5m --timeout=3s \\
        CMD curl -f http://localhost/ || exit 1
      HEALTHCHECK NONE
      HEALTHCHECK --retries=3 CMD ["/bin/check", "--quick"]
      ENTRYPOINT ["/usr/sbin/apache2ctl", "-D", "FOREGROUND"]
      """,
    expected: #"""
      directives syntax=- escape=\ check=-
      stage 0 name=- base=debian:stable platform=- lines=1-12
        2-2 MAINTAINER "SvenDowideit@home.org.au"
        3-3 EXPOSE ["80", "443/tcp", "53/udp"]
        4-4 VOLUME ["/var/www", "/var/log/apache2", "/etc/apache2"]
        5-5 VOLUME ["/myvol"]
        6-6 USER "1000:1000"
        7-7 STOPSIGNAL "SIGKILL"
        8-9 HEALTHCHECK interval=300000000000 timeout=3000000000 ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
        10-10 HEALTHCHECK NONE
        11-11 HEALTHCHECK retries=3 ["CMD", "/bin/check", "--quick"]
        12-12 ENTRYPOINT exec["/usr/sbin/apache2ctl", "-D", "FOREGROUND"]
      warning 2: The MAINTAINER instruction is deprecated, use a label instead
      """#)

  /// Comments, blank lines and whitespace inside and around continuations (BuildKit).
  static let messyLines = Fixture(
    name: "messy lines",
    text: """

         # indented comment
        from   scratch   AS   Base
      RUN echo hello \\
      # comment inside
        world \\

        again
      \tUSER   nobody
      # trailing comment
      """,
    expected: #"""
      directives syntax=- escape=\ check=-
      stage 0 name=base base=scratch platform=- lines=3-9
        4-8 RUN shell("echo hello   world   again")
        9-9 USER "nobody"
      warning 8: Empty continuation line found in: RUN echo hello   world   again (empty continuation lines will become errors in a future release)
      """#)

  /// Exec form vs shell-form fallback (docker: invalid JSON is shell form).
  static let jsonEdgeCases = Fixture(
    name: "json edge cases",
    text: """
      FROM scratch
      CMD ["echo", "a\\"b", "\\u00e9"]
      CMD [ "spaced" , "out" ]
      CMD ['single']
      CMD ["unterminated"
      CMD [] trailing
      RUN ["c:\\\\windows\\\\tasklist.exe"]
      RUN ["c:\\windows\\tasklist.exe"]
      ENTRYPOINT []
      VOLUME ["/a b"]
      COPY ["src dir/", "/dst dir/"]
      """,
    expected: #"""
      directives syntax=- escape=\ check=-
      stage 0 name=- base=scratch platform=- lines=1-11
        2-2 CMD exec["echo", "a\"b", "é"]
        3-3 CMD exec["spaced", "out"]
        4-4 CMD shell("[\'single\']")
        5-5 CMD shell("[\"unterminated\"")
        6-6 CMD shell("[] trailing")
        7-7 RUN exec["c:\\windows\\tasklist.exe"]
        8-8 RUN shell("[\"c:\\windows\\tasklist.exe\"]")
        9-9 ENTRYPOINT exec[]
        10-10 VOLUME ["/a b"]
        11-11 COPY json "src dir/" -> "/dst dir/"
      """#)
}
