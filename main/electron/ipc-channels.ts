// The only two IPC channels between the preload and main: the preload asks for a port to the
// core, main answers with one. Main never carries app API messages itself.
export const CONNECT_CHANNEL = 'topsmile:connect';
export const PORT_CHANNEL = 'topsmile:port';
