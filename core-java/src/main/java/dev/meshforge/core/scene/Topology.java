// How a primitive's indices are grouped.
package dev.meshforge.core.scene;

/** How a primitive's vertices form elements. Readers turn strips and fans into plain triangles. */
public enum Topology { TRIANGLES, LINES, POINTS }
