// libcrypto's message digests (sha256 for the content store; uses SHA-NI where present).
#include <openssl/evp.h>
