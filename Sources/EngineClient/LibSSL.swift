import Glibc

/// The system OpenSSL's libssl, opened with dlopen(3) the first time TLS is used: linking
/// it would load libssl and libcrypto into every `berth` run (~2.5 ms measured), while only
/// tcp:// hosts need it.
struct LibSSL: Sendable {
  typealias Pointer = OpaquePointer
  let TLS_client_method: @convention(c) () -> Pointer?
  let SSL_CTX_new: @convention(c) (Pointer?) -> Pointer?
  let SSL_CTX_free: @convention(c) (Pointer?) -> Void
  let SSL_CTX_ctrl: @convention(c) (Pointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
  let SSL_CTX_set_options: @convention(c) (Pointer?, UInt64) -> UInt64
  let SSL_CTX_set_verify: @convention(c) (Pointer?, Int32, OpaquePointer?) -> Void
  let SSL_CTX_load_verify_locations: @convention(c) (Pointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
  let SSL_CTX_use_certificate_chain_file: @convention(c) (Pointer?, UnsafePointer<CChar>?) -> Int32
  let SSL_CTX_use_PrivateKey_file: @convention(c) (Pointer?, UnsafePointer<CChar>?, Int32) -> Int32
  let SSL_CTX_check_private_key: @convention(c) (Pointer?) -> Int32
  let SSL_new: @convention(c) (Pointer?) -> Pointer?
  let SSL_free: @convention(c) (Pointer?) -> Void
  let SSL_ctrl: @convention(c) (Pointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
  let SSL_set_fd: @convention(c) (Pointer?, Int32) -> Int32
  let SSL_get0_param: @convention(c) (Pointer?) -> Pointer?
  let SSL_connect: @convention(c) (Pointer?) -> Int32
  let SSL_read: @convention(c) (Pointer?, UnsafeMutableRawPointer?, Int32) -> Int32
  let SSL_write: @convention(c) (Pointer?, UnsafeRawPointer?, Int32) -> Int32
  let SSL_pending: @convention(c) (Pointer?) -> Int32
  let SSL_shutdown: @convention(c) (Pointer?) -> Int32
  let SSL_get_error: @convention(c) (Pointer?, Int32) -> Int32
  let SSL_get_verify_result: @convention(c) (Pointer?) -> Int
  let X509_verify_cert_error_string: @convention(c) (Int) -> UnsafePointer<CChar>?
  let X509_VERIFY_PARAM_set1_host: @convention(c) (Pointer?, UnsafePointer<CChar>?, Int) -> Int32
  let X509_VERIFY_PARAM_set1_ip_asc: @convention(c) (Pointer?, UnsafePointer<CChar>?) -> Int32
  let ERR_get_error: @convention(c) () -> UInt
  let ERR_clear_error: @convention(c) () -> Void
  let ERR_error_string_n: @convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void

  // Values from <openssl/ssl.h>, <openssl/tls1.h> and <openssl/x509_vfy.h> (OpenSSL 3 ABI).
  static let errorSSL: Int32 = 1
  static let errorWantRead: Int32 = 2
  static let errorWantWrite: Int32 = 3
  static let errorSyscall: Int32 = 5
  static let errorZeroReturn: Int32 = 6
  static let verifyNone: Int32 = 0
  static let verifyPeer: Int32 = 1
  static let filetypePEM: Int32 = 1
  static let ctrlSetMinProtoVersion: Int32 = 123
  static let ctrlSetTLSExtHostname: Int32 = 55
  static let tlsExtNametypeHostName = 0
  static let tls12Version = 0x0303
  static let opIgnoreUnexpectedEOF: UInt64 = 1 << 7
  static let verifyOK = 0

  /// The library, or why it could not be loaded.
  static let shared: Result<LibSSL, EngineClientError> = Result { try LibSSL() }
    .mapError { $0 as? EngineClientError ?? .tls("\($0)") }

  private init() throws {
    guard let handle = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libssl.so", RTLD_NOW | RTLD_LOCAL)
    else {
      let reason = dlerror().map { String(cString: $0) } ?? "not found"
      throw EngineClientError.tls("cannot load the system OpenSSL (libssl.so.3): \(reason)")
    }
    // dlsym on libssl's handle also finds libcrypto's symbols (a dependency of libssl).
    func symbol<T>(_ name: String) throws -> T {
      guard let address = dlsym(handle, name) else {
        throw EngineClientError.tls("the system OpenSSL lacks \(name) (needs OpenSSL 3)")
      }
      return unsafeBitCast(address, to: T.self)
    }
    TLS_client_method = try symbol("TLS_client_method")
    SSL_CTX_new = try symbol("SSL_CTX_new")
    SSL_CTX_free = try symbol("SSL_CTX_free")
    SSL_CTX_ctrl = try symbol("SSL_CTX_ctrl")
    SSL_CTX_set_options = try symbol("SSL_CTX_set_options")
    SSL_CTX_set_verify = try symbol("SSL_CTX_set_verify")
    SSL_CTX_load_verify_locations = try symbol("SSL_CTX_load_verify_locations")
    SSL_CTX_use_certificate_chain_file = try symbol("SSL_CTX_use_certificate_chain_file")
    SSL_CTX_use_PrivateKey_file = try symbol("SSL_CTX_use_PrivateKey_file")
    SSL_CTX_check_private_key = try symbol("SSL_CTX_check_private_key")
    SSL_new = try symbol("SSL_new")
    SSL_free = try symbol("SSL_free")
    SSL_ctrl = try symbol("SSL_ctrl")
    SSL_set_fd = try symbol("SSL_set_fd")
    SSL_get0_param = try symbol("SSL_get0_param")
    SSL_connect = try symbol("SSL_connect")
    SSL_read = try symbol("SSL_read")
    SSL_write = try symbol("SSL_write")
    SSL_pending = try symbol("SSL_pending")
    SSL_shutdown = try symbol("SSL_shutdown")
    SSL_get_error = try symbol("SSL_get_error")
    SSL_get_verify_result = try symbol("SSL_get_verify_result")
    X509_verify_cert_error_string = try symbol("X509_verify_cert_error_string")
    X509_VERIFY_PARAM_set1_host = try symbol("X509_VERIFY_PARAM_set1_host")
    X509_VERIFY_PARAM_set1_ip_asc = try symbol("X509_VERIFY_PARAM_set1_ip_asc")
    ERR_get_error = try symbol("ERR_get_error")
    ERR_clear_error = try symbol("ERR_clear_error")
    ERR_error_string_n = try symbol("ERR_error_string_n")
  }

  /// The oldest queued OpenSSL error (most specific reason), clearing the queue.
  func errorQueueText() -> String? {
    var first: UInt = 0
    while true {
      let code = ERR_get_error()
      if code == 0 { break }
      if first == 0 { first = code }
    }
    guard first != 0 else { return nil }
    var text = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(first, &text, text.count)
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
