// xwin: tiny X11 helper for the window test (no window manager under Xvfb):
//   xwin close NAME      send WM_DELETE_WINDOW to the top-level window named NAME (the close button)
//   xwin exists NAME     exit 0 when a window named NAME is mapped
//   xwin click X Y       move the pointer to X,Y and click button 1 (XTest)
//   xwin type TEXT       type ASCII text (XTest), punctuation included
//   xwin key KEYSYM      press and release one key, e.g. Return, Escape, End; ctrl+s, shift+Tab
//   xwin drag X1 Y1 X2 Y2  press button 1 at X1,Y1, move in steps to X2,Y2, release (drag and drop)
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/XKBlib.h>
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

// chord presses "ctrl+shift+s"-style keys: modifiers held around the last key.
static void chord(Display *d, char *spec) {
  KeyCode mods[4];
  int n = 0;
  char *last = spec;
  for (char *p = strchr(spec, '+'); p && n < 4; p = strchr(last, '+')) {
    *p = 0;
    KeySym m = !strcmp(last, "ctrl") ? XK_Control_L : !strcmp(last, "shift") ? XK_Shift_L : !strcmp(last, "alt") ? XK_Alt_L : NoSymbol;
    if (m != NoSymbol) mods[n++] = XKeysymToKeycode(d, m);
    last = p + 1;
  }
  for (int i = 0; i < n; i++) XTestFakeKeyEvent(d, mods[i], True, 0);
  key(d, XStringToKeysym(last), 0);
  for (int i = n - 1; i >= 0; i--) XTestFakeKeyEvent(d, mods[i], False, 0);
  XFlush(d);
}

static void drag(Display *d, int x1, int y1, int x2, int y2) {
  XTestFakeMotionEvent(d, -1, x1, y1, 0);
  XFlush(d);
  usleep(80000);
  XTestFakeButtonEvent(d, 1, True, 0);
  XFlush(d);
  usleep(80000);
  for (int i = 1; i <= 12; i++) {
    XTestFakeMotionEvent(d, -1, x1 + (x2 - x1) * i / 12, y1 + (y2 - y1) * i / 12, 0);
    XFlush(d);
    usleep(30000);
  }
  usleep(80000);
  XTestFakeButtonEvent(d, 1, False, 0);
  XFlush(d);
  usleep(50000);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: xwin close|exists NAME | click X Y | drag X1 Y1 X2 Y2 | type TEXT | key [ctrl+|shift+|alt+]KEYSYM\n"); return 2; }
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
    // ASCII keysyms equal their character codes; shift when the key's
    // unshifted symbol is another one ('"' is shift+apostrophe on a US map)
    for (const unsigned char *p = (const unsigned char *)argv[2]; *p; p++) {
      KeySym ks = *p;
      KeyCode kc = XKeysymToKeycode(d, ks);
      key(d, ks, kc && XkbKeycodeToKeysym(d, kc, 0, 0) != ks);
    }
  } else if (!strcmp(argv[1], "key")) {
    chord(d, argv[2]);
  } else if (!strcmp(argv[1], "drag") && argc >= 6) {
    drag(d, atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
  } else {
    return 2;
  }
  XCloseDisplay(d);
  return 0;
}
