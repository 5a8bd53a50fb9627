// xwin: tiny X11 helper for the window test (no window manager under Xvfb):
//   xwin close NAME      send WM_DELETE_WINDOW to the top-level window named NAME (the close button)
//   xwin exists NAME     exit 0 when a window named NAME is mapped
//   xwin click X Y       move the pointer to X,Y and click button 1 (XTest)
//   xwin type TEXT       type ASCII text (XTest)
//   xwin key KEYSYM      press and release one key, e.g. Return, Escape, End
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static Window find(Display *d, Window w, const char *name) {
  char *n = NULL;
  if (XFetchName(d, w, &n) && n) {
    int ok = strcmp(n, name) == 0;
    XFree(n);
    if (ok) {
      XWindowAttributes a;
      if (XGetWindowAttributes(d, w, &a) && a.map_state == IsViewable) return w;
    }
  }
  Window root, parent, *kids = NULL;
  unsigned int nk = 0;
  if (!XQueryTree(d, w, &root, &parent, &kids, &nk)) return 0;
  Window found = 0;
  for (unsigned int i = 0; i < nk && !found; i++) found = find(d, kids[i], name);
  if (kids) XFree(kids);
  return found;
}

static void key(Display *d, KeySym ks, int shift) {
  KeyCode kc = XKeysymToKeycode(d, ks);
  KeyCode sh = XKeysymToKeycode(d, XK_Shift_L);
  if (shift) XTestFakeKeyEvent(d, sh, True, 0);
  XTestFakeKeyEvent(d, kc, True, 0);
  XTestFakeKeyEvent(d, kc, False, 0);
  if (shift) XTestFakeKeyEvent(d, sh, False, 0);
  XFlush(d);
  usleep(20000);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: xwin close|exists NAME | click X Y | type TEXT | key KEYSYM\n"); return 2; }
  Display *d = XOpenDisplay(NULL);
  if (!d) { fprintf(stderr, "xwin: cannot open display\n"); return 2; }
  if (!strcmp(argv[1], "close") || !strcmp(argv[1], "exists")) {
    Window w = find(d, DefaultRootWindow(d), argv[2]);
    if (!w) { fprintf(stderr, "xwin: no window named %s\n", argv[2]); return 1; }
    if (!strcmp(argv[1], "exists")) return 0;
    XEvent e;
    memset(&e, 0, sizeof e);
    e.xclient.type = ClientMessage;
    e.xclient.window = w;
    e.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
    e.xclient.format = 32;
    e.xclient.data.l[0] = XInternAtom(d, "WM_DELETE_WINDOW", False);
    e.xclient.data.l[1] = CurrentTime;
    XSendEvent(d, w, False, NoEventMask, &e);
    XFlush(d);
  } else if (!strcmp(argv[1], "click") && argc >= 4) {
    XTestFakeMotionEvent(d, -1, atoi(argv[2]), atoi(argv[3]), 0);
    XFlush(d);
    usleep(50000);
    XTestFakeButtonEvent(d, 1, True, 0);
    XTestFakeButtonEvent(d, 1, False, 0);
    XFlush(d);
  } else if (!strcmp(argv[1], "type")) {
    for (const char *p = argv[2]; *p; p++) {
      char s[2] = {*p, 0};
      KeySym ks = *p == ' ' ? XK_space : XStringToKeysym(s);
      key(d, ks, (*p >= 'A' && *p <= 'Z'));
    }
  } else if (!strcmp(argv[1], "key")) {
    key(d, XStringToKeysym(argv[2]), 0);
  } else {
    return 2;
  }
  XCloseDisplay(d);
  return 0;
}
