# Imports each file given after '--' into an empty Blender scene and prints one line of JSON about what arrived:
# mesh objects, vertices, triangles, open edges, bones, actions, shape keys, image files with pixels linked
# into materials (and the Principled BSDF inputs each feeds), and each material's blend mode. Run headless: blender -b --factory-startup --python describe.py -- F...
import json
import sys

import bpy
import numpy

if not hasattr(numpy, 'bool'):
    numpy.bool = bool  # Blender 3.4's glTF importer uses the alias NumPy 1.24 removed

IMPORTERS = {
    # keys at the file's times, as the glTF importer places them (the FBX importer's default shifts them a frame)
    '.fbx': lambda f: bpy.ops.import_scene.fbx(filepath=f, anim_offset=0),
    '.glb': lambda f: bpy.ops.import_scene.gltf(filepath=f),
    '.gltf': lambda f: bpy.ops.import_scene.gltf(filepath=f),
    '.obj': lambda f: bpy.ops.wm.obj_import(filepath=f),
    '.stl': lambda f: bpy.ops.import_mesh.stl(filepath=f),
    '.ply': lambda f: bpy.ops.import_mesh.ply(filepath=f),
}


def linked_images(material):
    out = set()
    if material is None or not material.use_nodes or material.node_tree is None:
        return out
    for node in material.node_tree.nodes:
        if node.type == 'TEX_IMAGE' and node.image is not None and any(l.is_linked for l in node.outputs):
            if node.image.size[0] > 0 and node.image.size[1] > 0:
                # one file: the FBX importer links a diffuse image's alpha through a copy of the image
                out.add(node.image.filepath or node.image.name)
    return out


def image_sockets(material):
    """'material:Input' for each Principled BSDF input an image with pixels reaches (through Normal Map, Separate
    RGB and other nodes between), with the image's size: 'skin:Roughness 4x4'."""
    out = set()
    if material is None or not material.use_nodes or material.node_tree is None:
        return out
    for node in material.node_tree.nodes:
        if node.type != 'BSDF_PRINCIPLED':
            continue
        for socket in node.inputs:
            todo = [l.from_node for l in socket.links]
            seen = set()
            while todo:
                n = todo.pop()
                if n.name in seen:
                    continue
                seen.add(n.name)
                if n.type == 'TEX_IMAGE' and n.image is not None and n.image.size[0] > 0:
                    out.add('%s:%s %dx%d' % (material.name, socket.name, n.image.size[0], n.image.size[1]))
                for i in n.inputs:
                    todo.extend(l.from_node for l in i.links)
    return out


def poses(weights):
    """World translation and rotation (quaternion w, x, y, z) of each animated object and of each bone of an
    animated armature, at 0.25, 0.5 and 1 s (frames at the scene's rate, which the importers set); the animated
    shape-key weights of each mesh object at those times go into weights."""
    scene = bpy.context.scene
    fps = scene.render.fps / scene.render.fps_base
    out = {}
    for t in (0.25, 0.5, 1.0):
        scene.frame_set(0)
        frame = int(t * fps)
        scene.frame_set(frame, subframe=t * fps - frame)
        for o in scene.objects:
            if o.animation_data is None or o.animation_data.action is None:
                continue
            mats = {o.name: o.matrix_world.copy()}
            if o.type == 'ARMATURE':
                for b in o.pose.bones:
                    mats[o.name + '/' + b.name] = o.matrix_world @ b.matrix
            for name, m in mats.items():
                loc, rot, _ = m.decompose()
                out.setdefault(name, []).append([round(v, 6) for v in (*loc, *rot)])
        for o in scene.objects:
            keys = o.data.shape_keys if o.type == 'MESH' else None
            if keys is not None and keys.animation_data is not None and keys.animation_data.action is not None:
                # the animated shape-key weights in key order, as the object's entry in 'weights'
                weights.setdefault(o.name, []).append([round(kb.value, 5) for kb in keys.key_blocks[1:]])
    return out


def describe(path):
    bpy.ops.wm.read_homefile(use_empty=True)
    for ext, importer in IMPORTERS.items():
        if path.lower().endswith(ext):
            importer(path)
            break
    else:
        raise ValueError('no importer for ' + path)
    d = {'meshes': 0, 'vertices': 0, 'triangles': 0, 'open_edges': 0, 'bones': 0, 'shape_keys': 0,
         'names': [], 'images': 0, 'blend': []}
    images = set()
    sockets = set()
    for o in bpy.context.scene.objects:
        if o.type == 'ARMATURE':
            d['bones'] += len(o.data.bones)
        if o.type != 'MESH':
            continue
        m = o.data
        d['meshes'] += 1
        d['names'].append(o.name)
        d['vertices'] += len(m.vertices)
        d['triangles'] += sum(len(p.vertices) - 2 for p in m.polygons)
        faces = {}
        for p in m.polygons:
            for k in p.edge_keys:
                faces[k] = faces.get(k, 0) + 1
        d['open_edges'] += sum(1 for n in faces.values() if n == 1)
        if m.shape_keys is not None:
            blocks = m.shape_keys.key_blocks
            d['shape_keys'] += max(0, len(blocks) - 1)
            # how far each shape moves the mesh: the largest displacement of a vertex, in world units
            for kb in blocks[1:]:
                far = max(((o.matrix_world.to_3x3() @ (k.co - b.co)).length
                           for k, b in zip(kb.data, blocks[0].data)), default=0.0)
                d.setdefault('shape_reach', []).append(round(far, 4))
        for slot in o.material_slots:
            images |= linked_images(slot.material)
            sockets |= image_sockets(slot.material)
            if slot.material is not None:
                d['blend'].append(slot.material.name + ':' + slot.material.blend_method)
    d['images'] = len(images)
    d['sockets'] = sorted(sockets)
    d['weights'] = {}
    d['poses'] = poses(d['weights'])
    d['actions'] = len(bpy.data.actions)
    d['names'].sort()
    d['shape_reach'] = sorted(d.get('shape_reach', []))
    d['blend'] = sorted(set(d['blend']))
    return d


for f in sys.argv[sys.argv.index('--') + 1:]:
    try:
        print('MFSCENE ' + json.dumps({'file': f, **describe(f)}), flush=True)
    except Exception as e:
        print('MFSCENE ' + json.dumps({'file': f, 'error': repr(e)}), flush=True)
