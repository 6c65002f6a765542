/// A COPY or ADD source: a path or glob in the context (or in `--from`), or a heredoc.
public enum CopySource: Equatable, Sendable {
  /// As written, unexpanded.
  case path(String)
  /// `COPY <<EOF /dest`: the file's content (named after the delimiter).
  case heredoc(Heredoc)
}

/// `COPY [--from=…] [--chown=…] [--chmod=…] [--link] [--parents] [--exclude=…] src… dest`.
public struct CopyInstruction: Equatable, Sendable {
  public var sources: [CopySource]
  /// Unexpanded; a trailing `/` means "into this directory".
  public var destination: String
  /// `--from=<stage name|stage index|image>`, unexpanded.
  public var from: String?
  /// `--chown=user[:group]`, unexpanded.
  public var chown: String?
  /// `--chmod=` octal or symbolic, unexpanded.
  public var chmod: String?
  public var link: Bool
  public var parents: Bool
  /// `--exclude=` patterns (repeatable), unexpanded.
  public var excludes: [String]
  /// Written in the JSON form (`COPY ["a b", "/x/"]`).
  public var isJSONForm: Bool

  public init(
    sources: [CopySource], destination: String, from: String? = nil, chown: String? = nil, chmod: String? = nil,
    link: Bool = false, parents: Bool = false, excludes: [String] = [], isJSONForm: Bool = false
  ) {
    self.sources = sources
    self.destination = destination
    self.from = from
    self.chown = chown
    self.chmod = chmod
    self.link = link
    self.parents = parents
    self.excludes = excludes
    self.isJSONForm = isJSONForm
  }
}

/// `ADD [--chown=…] [--chmod=…] [--link] [--keep-git-dir] [--checksum=…] [--unpack] [--exclude=…] src… dest`.
public struct AddInstruction: Equatable, Sendable {
  public var sources: [CopySource]
  public var destination: String
  public var chown: String?
  public var chmod: String?
  public var link: Bool
  /// `--keep-git-dir[=bool]`; nil when not given.
  public var keepGitDir: Bool?
  /// `--checksum=sha256:…` (HTTP) or a commit prefix (git), unexpanded.
  public var checksum: String?
  /// `--unpack[=bool]`; nil when not given (local archives unpack, URLs do not).
  public var unpack: Bool?
  public var excludes: [String]
  public var isJSONForm: Bool

  public init(
    sources: [CopySource], destination: String, chown: String? = nil, chmod: String? = nil, link: Bool = false,
    keepGitDir: Bool? = nil, checksum: String? = nil, unpack: Bool? = nil, excludes: [String] = [],
    isJSONForm: Bool = false
  ) {
    self.sources = sources
    self.destination = destination
    self.chown = chown
    self.chmod = chmod
    self.link = link
    self.keepGitDir = keepGitDir
    self.checksum = checksum
    self.unpack = unpack
    self.excludes = excludes
    self.isJSONForm = isJSONForm
  }
}
