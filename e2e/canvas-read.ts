// What a page's canvas can read of an image: the check that the compare view's difference works
// across origins (app:// page, doppel:// images), shared by the browser and Electron suites.
import type { Page } from 'playwright-core';

/** The RGBA of the image at `src` as the page's canvas reads it after drawing it, or why it
 *  could not: 'load failed' (the image did not load) or the name of the error getImageData threw
 *  (SecurityError: the canvas is tainted). `crossOrigin`: requested by CORS. */
export function readPixels(page: Page, src: string, crossOrigin: boolean): Promise<number[] | string> {
  return page.evaluate(
    async ([src, crossOrigin]) => {
      const image = new Image();
      if (crossOrigin) image.crossOrigin = 'anonymous';
      const loaded = await new Promise<boolean>((resolve) => {
        image.onload = () => resolve(true);
        image.onerror = () => resolve(false);
        image.src = src;
      });
      if (!loaded) return 'load failed';
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      try {
        return [...context.getImageData(0, 0, canvas.width, canvas.height).data];
      } catch (error) {
        return (error as Error).name;
      }
    },
    [src, crossOrigin] as const,
  );
}
