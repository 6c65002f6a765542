/* A tiny static-file web server, as in the seed article's walkthrough: serves files from
 * the working directory on the port given as the first argument, one request at a time. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8082;
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = INADDR_ANY};
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 16) != 0) {
    perror("tiny: listen");
    return 1;
  }
  for (;;) {
    int client = accept(listener, NULL, NULL);
    if (client < 0) continue;
    char request[1024] = {0}, path[256] = {0}, body[4096];
    ssize_t got = read(client, request, sizeof request - 1);
    if (got > 0 && sscanf(request, "GET /%255s", path) == 1 && strstr(path, "..") == NULL) {
      FILE *f = fopen(path, "r");
      if (f) {
        size_t n = fread(body, 1, sizeof body, f);
        fclose(f);
        dprintf(client, "HTTP/1.0 200 OK\r\nContent-Length: %zu\r\n\r\n", n);
        write(client, body, n);
      } else {
        dprintf(client, "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      }
    }
    close(client);
  }
}
