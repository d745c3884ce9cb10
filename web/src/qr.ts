// The QR encoder, in a chunk of its own that Settings loads when it opens.
export { renderSVG } from "uqr";
