// The camera's projection.
package dev.meshforge.render;

/** Perspective (with the options' field of view) or orthographic. */
public enum Projection { PERSPECTIVE, ORTHOGRAPHIC }
