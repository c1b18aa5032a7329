// Which axis points up in a scene's coordinates.
package dev.meshforge.core.scene;

/** The axis that points up: glTF and most engines use Y, CAD and 3D printing use Z. */
public enum UpAxis { Y, Z }
